package dev.resnetdsl.runtime.init;

import dev.resnetdsl.runtime.net.FanMode;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.Parameter;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Initial values for every parameter of a {@link Network}, seeded and reproducible:
 *
 * <ul>
 *   <li>convolution weights: Kaiming normal, std = √(2 / fan) with fan_out = out·k·k or fan_in = (in/groups)·k·k
 *       (torchvision's {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")});
 *   <li>BN: γ = 1 (γ = 0 for a residual branch's last BN when {@link InitPolicy#zeroInitLastBn()}), β = 0;
 *       running mean and variance: the batch statistics the layer's input is expected to have at initialisation
 *       ({@link InitialStatistics}; PyTorch starts from 0 and 1, with which an untrained ResNet-1202 evaluates to
 *       NaN);
 *   <li>classifier: PyTorch's {@code nn.Linear} default, weight and bias uniform in ±1/√fan_in.
 * </ul>
 *
 * <p>Each tensor draws from its own {@link SplittableRandom}, seeded with {@link #streamSeed(long, String)} from
 * the policy seed and the parameter's name, so a value depends only on (seed, name, shape) — not on the order
 * parameters are visited or on which other parameters exist. Normal deviates come from the Box–Muller transform
 * on {@code nextDouble()} pairs. Values are not bit-identical to PyTorch's (a different generator); their
 * distributions are.
 */
public final class ParameterInit {
    private ParameterInit() {}

    /** Initial values for every parameter of {@code network}, in the network's parameter order. */
    public static Map<String, Tensor> initialize(Network network, InitPolicy policy) {
        Set<String> zeroGamma = new HashSet<>();
        for (Layer.BatchNorm bn : network.layers(Layer.BatchNorm.class)) {
            if (bn.endsResidualBranch() && policy.zeroInitLastBn()) {
                zeroGamma.add(bn.weight());
            }
        }
        Map<String, InitialStatistics.Statistics> statistics = InitialStatistics.of(network, policy, zeroGamma);
        // Each tensor has its own stream, so computing them in parallel gives the same values as in sequence.
        List<Parameter> params = List.copyOf(network.parameters().values());
        Tensor[] tensors = new Tensor[params.size()];
        IntStream.range(0, params.size())
                .parallel()
                .forEach(i -> tensors[i] = initial(network, params.get(i), policy, zeroGamma, statistics));
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (int i = 0; i < tensors.length; i++) {
            values.put(params.get(i).name(), tensors[i]);
        }
        return values;
    }

    private static Tensor initial(
            Network network,
            Parameter p,
            InitPolicy policy,
            Set<String> zeroGamma,
            Map<String, InitialStatistics.Statistics> statistics) {
        int[] shape = p.shape();
        int n = Math.toIntExact(p.elements());
        float[] data = new float[n];
        switch (p.kind()) {
            case CONV_WEIGHT -> {
                // shape [out, in/groups, k, k]: torch's fan_in = shape[1]·k·k, fan_out = shape[0]·k·k.
                long receptive = (long) shape[2] * shape[3];
                long fan = policy.fanMode() == FanMode.FAN_OUT ? shape[0] * receptive : shape[1] * receptive;
                fillNormal(data, Math.sqrt(2.0 / fan), streamSeed(policy.seed(), p.name()));
            }
            case BN_WEIGHT -> Arrays.fill(data, zeroGamma.contains(p.name()) ? 0f : 1f);
            case BN_RUNNING_MEAN -> Arrays.fill(
                    data, (float) statistics.get(p.owner()).mean());
            case BN_RUNNING_VAR -> Arrays.fill(
                    data, (float) statistics.get(p.owner()).variance());
            case BN_BIAS -> {
                // zeros
            }
            case FC_WEIGHT -> fillUniform(data, 1.0 / Math.sqrt(shape[1]), streamSeed(policy.seed(), p.name()));
            case FC_BIAS -> {
                int fanIn = fcFanIn(network, p);
                fillUniform(data, 1.0 / Math.sqrt(fanIn), streamSeed(policy.seed(), p.name()));
            }
            default -> throw new IllegalStateException("no init rule for " + p.kind());
        }
        return Tensor.ofFloats(shape, data);
    }

    /**
     * The seed of one parameter's stream: SplitMix64's finaliser applied to the policy seed combined with the
     * 64-bit FNV-1a hash of the parameter name's UTF-8 bytes. Documented so that other tools can reproduce it.
     */
    public static long streamSeed(long seed, String parameterName) {
        long h = 0xcbf29ce484222325L;
        for (byte b : parameterName.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix(seed * 0x9E3779B97F4A7C15L + h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int fcFanIn(Network network, Parameter bias) {
        Parameter weight = network.parameters().get(bias.owner() + ".weight");
        if (weight == null) {
            throw new IllegalStateException("bias " + bias.name() + " has no weight " + bias.owner() + ".weight");
        }
        return weight.shape()[1];
    }

    private static void fillNormal(float[] data, double std, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < data.length; i += 2) {
            // Box–Muller: 1 − u keeps the logarithm's argument in (0, 1].
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            data[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < data.length) {
                data[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
            }
        }
    }

    private static void fillUniform(float[] data, double bound, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
    }
}
