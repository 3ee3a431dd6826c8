package dev.resnetdsl.runtime.net;

import java.util.Objects;

/**
 * How parameters are initialised: Kaiming-normal convolutions ({@link FanMode}), BN γ = 1 and β = 0 (γ = 0 for
 * the last BN of each residual branch when {@code zeroInitLastBn}), torchvision's default for the classifier,
 * all from one seeded generator.
 */
public record InitPolicy(FanMode fanMode, boolean zeroInitLastBn, long seed) {
    public InitPolicy {
        Objects.requireNonNull(fanMode, "fanMode");
    }

    /** Kaiming-normal fan_out, no zero-init, seed 0. */
    public static InitPolicy defaults() {
        return new InitPolicy(FanMode.FAN_OUT, false, 0L);
    }

    /** The same policy with another seed. */
    public InitPolicy withSeed(long newSeed) {
        return new InitPolicy(fanMode, zeroInitLastBn, newSeed);
    }
}
