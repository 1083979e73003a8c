package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reshapes a parameter whose rows belong to experts ({@code [E, P]}, row {@code s} = the
 * expert in slot {@code s}) when the live expert set changes: rows of kept experts move to
 * their new slots with their gradient and every optimiser slot; new experts get the given
 * value row and zero gradient and optimiser state (ROUTING.md §4.2-4.3).
 */
public final class ExpertRows {
    private ExpertRows() {}

    /**
     * Rebuilds {@code param} from {@code before} to {@code after}. Every id of {@code after}
     * must either be live in {@code before} or have a row in {@code newRows}
     * ({@code newRows[i]} is the {@code [P]} value of {@code newIds[i]}).
     */
    public static void remap(Param param, ExpertSet before, ExpertSet after, int[] newIds, INDArray[] newRows) {
        INDArray value = param.value();
        if (value.rank() != 2 || value.rows() != before.size()) {
            throw new IllegalArgumentException("param " + param.name() + ": expected [" + before.size()
                    + ", P] rows for " + before + ", got " + java.util.Arrays.toString(value.shape()));
        }
        long p = value.columns();
        INDArray newValue = Nd4j.zeros(value.dataType(), after.size(), p);
        INDArray newGrad = Nd4j.zeros(value.dataType(), after.size(), p);
        INDArray[] newSlots = new INDArray[param.numSlots()];
        for (int i = 0; i < newSlots.length; i++) newSlots[i] = Nd4j.zeros(value.dataType(), after.size(), p);
        for (int s = 0; s < after.size(); s++) {
            int id = after.id(s);
            int old = before.slotOf(id);
            if (old >= 0) {
                newValue.getRow(s).assign(value.getRow(old));
                newGrad.getRow(s).assign(param.grad().getRow(old));
                for (int i = 0; i < newSlots.length; i++) newSlots[i].getRow(s).assign(param.slot(i).getRow(old));
            } else {
                newValue.getRow(s).assign(rowFor(id, newIds, newRows, param.name(), p));
            }
        }
        param.replace(newValue, newGrad, newSlots);
    }

    private static INDArray rowFor(int id, int[] newIds, INDArray[] newRows, String name, long p) {
        for (int i = 0; i < newIds.length; i++) {
            if (newIds[i] == id) {
                if (newRows[i].length() != p) {
                    throw new IllegalArgumentException("param " + name + ": new row for expert " + id
                            + " has length " + newRows[i].length() + ", expected " + p);
                }
                return newRows[i].reshape(p);
            }
        }
        throw new IllegalArgumentException("param " + name + ": expert " + id + " is new but no row was given");
    }
}
