package dev.resnetdsl.runtime.ort;

/**
 * Where ONNX Runtime runs a model: the CPU, or a CUDA GPU by index.
 *
 * @param kind CPU or CUDA
 * @param index the CUDA device index (0 for the CPU)
 */
public record Device(Kind kind, int index) implements java.io.Serializable {
    /** The kinds of device. */
    public enum Kind {
        CPU,
        CUDA
    }

    /** The CPU. */
    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (index < 0) {
            throw new IllegalArgumentException("device index must be ≥ 0, got " + index);
        }
        if (kind == Kind.CPU && index != 0) {
            throw new IllegalArgumentException("the CPU has no device index");
        }
    }

    /**
     * Parses {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Device parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return new Device(Kind.CUDA, 0);
        }
        if (s.startsWith("cuda:")) {
            String n = s.substring(5);
            if (!n.isEmpty() && n.length() <= 4 && n.chars().allMatch(Character::isDigit)) {
                return new Device(Kind.CUDA, Integer.parseInt(n));
            }
        }
        throw new IllegalArgumentException(
                "unknown device '" + text + "'; use cpu, cuda or cuda:N (N = GPU index, e.g. cuda:1)");
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
