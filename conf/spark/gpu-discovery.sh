#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this
# executor may use as the JSON Spark expects, e.g. {"name": "gpu", "addresses": ["0", "1"]}.
# On Kubernetes the device plugin has already limited the container to its own devices.
set -euo pipefail
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed 's/^ *//; s/ *$//; s/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
