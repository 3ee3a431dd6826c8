package dev.resnetdsl.runtime;

/**
 * What a user can do about a failure, named as a concept. Library messages say what went wrong in the
 * library's terms; each front end words the remedy its own way (the CLI as a flag, a Java caller as a method,
 * Spark as a parameter), so no library message names a command-line flag.
 */
public enum Remedy {
    /** Continue the checkpoint's run instead of starting a new one. */
    RESUME,
    /** Write a new training bundle (the existing one is from another network or format). */
    NEW_BUNDLE,
    /** Ask for more epochs than the run has already completed. */
    MORE_EPOCHS,
    /** Resume with the batch size the checkpoint was trained with. */
    SAME_BATCH_SIZE,
    /** Resume with the checkpoint's learning-rate schedule (or none, which means the same one). */
    SAME_SCHEDULE,
    /** Run on the CPU (the requested accelerator is unavailable). */
    CPU_DEVICE,
    /** Free disk space, then resume from the intact checkpoint. */
    FREE_SPACE_AND_RESUME,
    /** Lower the learning rate, or warm it up. */
    LOWER_LEARNING_RATE;

    /** Implemented by exceptions whose cause the user can remove; {@link #remedy} says how. */
    public interface Carrier {
        Remedy remedy();
    }
}
