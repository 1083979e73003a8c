package dev.sparkmoe.driver.report;

import dev.sparkmoe.worker.train.ControllerEvent;

import java.util.Arrays;
import java.util.List;

/**
 * The report page: summary table, notes, one section per figure (image and caption, or the
 * note saying why it is missing), the controller events table and the full configuration.
 * Self-contained HTML with relative image links, so the report folder can be copied anywhere.
 */
final class ReportHtml {
    private static final String STYLE = """
            body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f2f2f2; }
            img { max-width: 100%; }
            .note { color: #8a5a00; }
            .caption { color: #555; font-size: 90%; }
            pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
            """;

    private ReportHtml() {}

    static String render(String location, RunSummary summary, List<String> notes, List<Figure> figures,
                         List<ControllerEvent> events, String configText) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>spark-moe run report</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>spark-moe run report</h1>\n<p>Run directory: <code>").append(escape(location)).append("</code>. ")
                .append("Steps are counted from 1 (<code>metrics.jsonl</code> numbers them from 0).</p>\n");
        h.append("<table>\n");
        for (String[] row : summary.rows()) {
            h.append("<tr><th>").append(escape(row[0])).append("</th><td>").append(escape(row[1])).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (String note : notes) h.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
        for (Figure f : figures) figure(h, f);
        events(h, events);
        if (configText != null) {
            h.append("<h2>Configuration</h2>\n<details><summary>config.conf</summary>\n<pre>").append(escape(configText))
                    .append("</pre>\n</details>\n");
        }
        return h.append("</body>\n</html>\n").toString();
    }

    private static void figure(StringBuilder h, Figure f) {
        h.append("<h2>").append(escape(f.title())).append("</h2>\n");
        if (f.rendered()) {
            h.append("<img src=\"").append(escape(f.file())).append("\" alt=\"").append(escape(f.title())).append("\">\n")
                    .append("<p class=\"caption\">").append(escape(f.caption())).append("</p>\n");
        } else {
            h.append("<p class=\"note\">Not drawn: ").append(escape(f.caption())).append("</p>\n");
        }
    }

    private static void events(StringBuilder h, List<ControllerEvent> events) {
        h.append("<h2>Controller events</h2>\n");
        if (events.isEmpty()) {
            h.append("<p>None.</p>\n");
            return;
        }
        h.append("<table>\n<tr><th>after step</th><th>layer</th><th>removed</th><th>added</th><th>reason</th></tr>\n");
        for (ControllerEvent e : events) {
            h.append("<tr><td>").append(e.step() + 1).append("</td><td>").append(e.layer()).append("</td><td>")
                    .append(ids(e.removed())).append("</td><td>").append(ids(e.added())).append("</td><td>")
                    .append(escape(e.reason())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String ids(int[] ids) {
        return ids.length == 0 ? "" : Arrays.toString(ids);
    }

    /** Text as HTML: the five characters with meaning in markup and attributes escaped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
