package dev.resnetdsl.grammar.spec;

/** An activation shape for one image: channels × height × width. */
public record Shape(int channels, int height, int width) {
    /** Number of elements of one image's activation, as a long so that absurd specs cannot overflow. */
    public long elements() {
        return (long) channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
