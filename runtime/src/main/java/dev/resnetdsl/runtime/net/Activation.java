package dev.resnetdsl.runtime.net;

/**
 * A named activation of the network for one image: channels × height × width. After the fully connected
 * layer, height and width are 1.
 */
public record Activation(String name, int channels, int height, int width) {
    /** Elements of this activation for one image. */
    public long elements() {
        return (long) channels * height * width;
    }

    /** {@code CxHxW}. */
    public String shapeString() {
        return channels + "x" + height + "x" + width;
    }
}
