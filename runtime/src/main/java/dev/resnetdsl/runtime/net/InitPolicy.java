package dev.resnetdsl.runtime.net;

/**
 * How parameters are initialised: Kaiming-normal convolutions ({@code fan_out} or {@code fan_in}),
 * BN γ = 1 and β = 0 (γ = 0 for the last BN of each residual branch when {@code zeroInitLastBn}),
 * torchvision's default for the classifier, all from one seeded generator.
 */
public record InitPolicy(String fanMode, boolean zeroInitLastBn, long seed) {
    public InitPolicy {
        if (!fanMode.equals("fan_out") && !fanMode.equals("fan_in")) {
            throw new IllegalArgumentException("fan mode must be fan_out or fan_in, not " + fanMode);
        }
    }

    /** Kaiming-normal fan_out, no zero-init, seed 0. */
    public static InitPolicy defaults() {
        return new InitPolicy("fan_out", false, 0L);
    }

    /** The same policy with another seed. */
    public InitPolicy withSeed(long newSeed) {
        return new InitPolicy(fanMode, zeroInitLastBn, newSeed);
    }
}
