package dev.resnetdsl.grammar.spec;

/**
 * Parameter initialisation policy.
 *
 * @param fanMode {@code fan_out} (the default, torchvision's) or {@code fan_in} for Kaiming-normal conv init
 * @param zeroInitLastBn zero the γ of the last BN of every residual branch (Goyal et al.)
 * @param seed seed of the random generator; the same seed gives the same weights
 */
public record InitSpec(String fanMode, boolean zeroInitLastBn, long seed) {
    /** The default: Kaiming-normal, fan_out, no zero-init, seed 0. */
    public static InitSpec defaults() {
        return new InitSpec("fan_out", false, 0L);
    }
}
