package dev.resnetdsl.runtime.init;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.FanMode;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The initial running statistics of every BN layer: the batch mean and variance its input is expected to have
 * when the freshly initialised network sees unit-variance images, computed in closed form from the init policy
 * (no data, no forward pass).
 *
 * <p>Why not PyTorch's mean 0 and variance 1: with those, an untrained network in evaluation mode does not
 * normalise at all (BN is the identity), so every residual block adds a branch about as large as its input, and
 * the residual stream grows by about 1.44× per block. ResNet-110's logits come out near 10⁸ and ResNet-1202's
 * overflow float32 to NaN around block 230 — in PyTorch as here (docs/training-graphs.md, "Depth",
 * evaluation before training). With the expected batch statistics, evaluation normalises each branch about as
 * training mode does, the stream grows linearly with depth, and every network's untrained logits are finite and
 * of moderate size.
 * Training is unaffected (training-mode BN normalises with the batch's own statistics), and the running
 * statistics move to the data's within a few dozen steps (momentum 0.1: 0.9⁵⁰ ≈ 0.5%).
 *
 * <p>How: each activation carries the channel average of its mean and of its second moment. Images: mean 0,
 * second moment 1. A convolution with zero-mean weights of variance σ² (Kaiming: 2/fan) gives mean 0 and second
 * moment fan_in·σ²·q, fan_in = (in/groups)·k²; a BN's running mean and variance are its input's mean m and
 * variance q − m², and its output has mean β = 0 and second moment γ² (0 for a zero-initialised last BN); a ReLU
 * of an input taken as Gaussian N(m, q − m²) has mean m·Φ(m/s) + s·φ(m/s) and second moment
 * (m² + s²)·Φ(m/s) + m·s·φ(m/s); a sum adds second moments and the cross term 2·m₁·m₂ (independent inputs); an
 * option-A shortcut's zero channels dilute the averages; max-pooling and average pooling are taken to keep them
 * (an approximation; nothing in a ResNet normalises right after them except the stem's max-pool, where it is
 * conservative).
 */
public final class InitialStatistics implements Layer.Visitor<InitialStatistics.Moments> {
    /** Channel-averaged mean and second moment E[x²] of an activation. */
    public record Moments(double mean, double square) {
        double variance() {
            return Math.max(square - mean * mean, 0);
        }
    }

    /** Running mean and variance for one BN layer (the same for every channel). */
    public record Statistics(double mean, double variance) {}

    private final InitPolicy policy;
    private final Map<String, Moments> moments = new HashMap<>();
    private final Map<String, Statistics> statistics = new HashMap<>();
    private final Set<String> zeroGamma;

    private InitialStatistics(Network net, InitPolicy policy, Set<String> zeroGamma) {
        this.policy = policy;
        this.zeroGamma = zeroGamma;
        moments.put(net.input().name(), new Moments(0, 1));
    }

    /**
     * The initial running statistics of every BN layer of {@code net} by layer name.
     *
     * @param zeroGamma names of the BN weights (γ) that start at zero
     */
    public static Map<String, Statistics> of(Network net, InitPolicy policy, Set<String> zeroGamma) {
        InitialStatistics pass = new InitialStatistics(net, policy, zeroGamma);
        for (Layer layer : net.layers()) {
            pass.moments.put(layer.output().name(), layer.accept(pass));
        }
        return Map.copyOf(pass.statistics);
    }

    private Moments in(Activation a) {
        return moments.get(a.name());
    }

    @Override
    public Moments conv(Layer.Conv c) {
        int k2 = c.kernel() * c.kernel();
        long fanIn = (long) c.input().channels() / c.groups() * k2;
        long fan = policy.fanMode() == FanMode.FAN_OUT ? (long) c.output().channels() * k2 : fanIn;
        return new Moments(0, fanIn * (2.0 / fan) * in(c.input()).square());
    }

    @Override
    public Moments batchNorm(Layer.BatchNorm b) {
        Moments x = in(b.input());
        double variance = x.variance();
        // A constant input (no variance at all) cannot occur after a convolution; 1 keeps the division harmless.
        statistics.put(b.name(), new Statistics(x.mean(), variance > 0 ? variance : 1));
        double gamma = zeroGamma.contains(b.weight()) ? 0 : 1;
        return new Moments(0, gamma * gamma * (variance > 0 ? variance / (variance + Layer.BatchNorm.EPSILON) : 0));
    }

    @Override
    public Moments relu(Layer.Relu r) {
        Moments x = in(r.input());
        double m = x.mean();
        double s = Math.sqrt(x.variance());
        if (s < 1e-12) {
            double y = Math.max(m, 0);
            return new Moments(y, y * y);
        }
        double z = m / s;
        double cdf = normalCdf(z);
        double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        return new Moments(m * cdf + s * pdf, (m * m + s * s) * cdf + m * s * pdf);
    }

    @Override
    public Moments maxPool(Layer.MaxPool m) {
        return in(m.input());
    }

    @Override
    public Moments add(Layer.Add a) {
        Moments l = in(a.left());
        Moments r = in(a.right());
        return new Moments(l.mean() + r.mean(), l.square() + r.square() + 2 * l.mean() * r.mean());
    }

    @Override
    public Moments zeroPadShortcut(Layer.ZeroPadShortcut z) {
        Moments x = in(z.input());
        double kept = (double) z.input().channels() / z.output().channels();
        return new Moments(x.mean() * kept, x.square() * kept);
    }

    @Override
    public Moments globalAvgPool(Layer.GlobalAvgPool p) {
        return in(p.input());
    }

    @Override
    public Moments fullyConnected(Layer.FullyConnected f) {
        // Weight and bias uniform in ±1/√fan_in: variance 1/(3·fan_in) each.
        long fanIn = f.input().elements();
        return new Moments(0, in(f.input()).square() / 3 + 1.0 / (3 * fanIn));
    }

    /** Φ(z), the standard normal distribution function (Abramowitz and Stegun 7.1.26 for erf, |error| < 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1
                - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
