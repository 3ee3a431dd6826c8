package dev.resnetdsl.runtime.tensor;

/** Element types the project stores; names are safetensors' dtype strings. */
public enum DType {
    F32(4),
    I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
