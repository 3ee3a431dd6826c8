package dev.resnetdsl.runtime.ort;

/** A process that starts ONNX Runtime's environment through {@link Sessions} and prints "started" (for tests). */
public final class StartOrt {
    private StartOrt() {}

    public static void main(String[] args) {
        Sessions.environment();
        System.out.println("started with " + args.length + " arguments");
    }
}
