import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.cli.SpecFiles;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.graph.FlatLayout;
import dev.resnetdsl.training.graph.Freezing;
import dev.resnetdsl.training.graph.GraphOptions;
import dev.resnetdsl.training.graph.TrainingGraphs;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One measurement of bench/depth.sh, in its own process (so that its peak RSS is its own): writes the training
 * graphs of a spec (with loops over repeated blocks, or unrolled), opens the step and evaluation sessions and runs
 * steps on random data, and prints one line of key=value pairs: graph nodes, write/open/step times (wall and
 * process CPU), peak RSS.
 *
 * <pre>java -cp cli/target/resnet-cli.jar bench/DepthBench.java SPEC [loops|unrolled] [BATCH] [STEPS] [OPT]</pre>
 *
 * OPT is ONNX Runtime's optimisation level (ALL_OPT, the project's, by default; NO_OPT, BASIC_OPT, EXTENDED_OPT).
 */
public class DepthBench {
    public static void main(String[] args) throws Exception {
        Path spec = Path.of(args[0]);
        boolean loops = args.length < 2 || args[1].equals("loops");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        OrtSession.SessionOptions.OptLevel level =
                OrtSession.SessionOptions.OptLevel.valueOf(args.length > 4 ? args[4] : "ALL_OPT");

        Network net = SpecNetworks.build(SpecFiles.model(spec, null, new PrintWriter(System.err, true)));
        GraphOptions options = GraphOptions.defaults().withLoops(loops);
        Hyperparameters hp = Hyperparameters.defaults();
        Clock write = Clock.start();
        Onnx.ModelProto trainGraph = TrainingGraphs.trainStep(net, hp, Freezing.none(), options, Map.of());
        Onnx.ModelProto evalGraph = TrainingGraphs.eval(net, Freezing.none(), options, Map.of());
        byte[] trainBytes = trainGraph.toByteArray();
        byte[] evalBytes = evalGraph.toByteArray();
        write.stop();
        long[] nodes = nodes(trainGraph.getGraph(), net);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Clock openTrain = Clock.start();
        OrtSession train = open(env, trainBytes, level);
        openTrain.stop();
        Clock openEval = Clock.start();
        OrtSession eval = open(env, evalBytes, level);
        openEval.stop();

        FlatLayout pl = FlatLayout.trainable(net);
        FlatLayout sl = FlatLayout.statistics(net);
        Map<String, Tensor> w = Weights.initial(net).asMap();
        float[] params = flatten(pl, w);
        float[] stats = flatten(sl, w);
        float[] momentum = new float[params.length];
        int[] chw = {net.input().channels(), net.input().height(), net.input().width()};
        Random rnd = new Random(0);
        float[] x = new float[batch * chw[0] * chw[1] * chw[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rnd.nextInt(net.classes());
        }
        double[] stepWall = new double[steps];
        double[] stepCpu = new double[steps];
        float loss = Float.NaN;
        for (int s = 0; s < steps; s++) {
            Clock c = Clock.start();
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input", OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, chw[0], chw[1], chw[2]}));
            in.put("labels", OnnxTensor.createTensor(env, LongBuffer.wrap(y), new long[] {batch}));
            in.put("lr", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {0.01f}), new long[0]));
            in.put("params", OnnxTensor.createTensor(env, FloatBuffer.wrap(params), new long[] {params.length}));
            in.put("momentum", OnnxTensor.createTensor(env, FloatBuffer.wrap(momentum), new long[] {params.length}));
            in.put("stats", OnnxTensor.createTensor(env, FloatBuffer.wrap(stats), new long[] {stats.length}));
            try (OrtSession.Result r = train.run(
                    in, java.util.Set.of("loss", "params_out", "momentum_out", "stats_out"))) {
                loss = ((OnnxTensor) r.get("loss").get()).getFloatBuffer().get(0);
                params = floats(r.get("params_out").get());
                momentum = floats(r.get("momentum_out").get());
                stats = floats(r.get("stats_out").get());
            }
            in.values().forEach(OnnxTensor::close);
            c.stop();
            stepWall[s] = c.wall;
            stepCpu[s] = c.cpu;
        }
        double later = steps > 1 ? median(Arrays.copyOfRange(stepWall, 1, steps)) : Double.NaN;
        double laterCpu = steps > 1 ? median(Arrays.copyOfRange(stepCpu, 1, steps)) : Double.NaN;
        System.out.printf(
                Locale.ROOT,
                "model=%s layers=%d variant=%s opt=%s batch=%d file_nodes=%d loops=%d step_nodes=%d"
                        + " write_s=%.2f open_train_s=%.2f open_train_cpu_s=%.2f open_eval_s=%.2f open_eval_cpu_s=%.2f"
                        + " first_step_s=%.2f first_step_cpu_s=%.2f later_step_s=%.3f later_step_cpu_s=%.3f"
                        + " loss=%.4f peak_rss_mb=%d%n",
                net.name(),
                net.layers().size(),
                loops ? "loops" : "unrolled",
                level,
                batch,
                nodes[0],
                nodes[1],
                nodes[2],
                write.wall,
                openTrain.wall,
                openTrain.cpu,
                openEval.wall,
                openEval.cpu,
                stepWall[0],
                stepCpu[0],
                later,
                laterCpu,
                loss,
                peakRssMb());
        train.close();
        eval.close();
    }

    /** {nodes in the file (loop bodies once), loops, nodes one step runs (loop bodies once per block)}. */
    static long[] nodes(Onnx.GraphProto g, Network net) {
        long file = g.getNodeCount();
        long run = g.getNodeCount();
        long loops = 0;
        Map<String, long[]> shapes = new HashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("Scan")) {
                continue;
            }
            loops++;
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    file += a.getG().getNodeCount();
                    run += (long) a.getG().getNodeCount() * iterations(g, n);
                }
            }
        }
        return new long[] {file, loops / 2, run};
    }

    /** The number of iterations of a Scan: rows of its first scan input, from the Reshape that made it. */
    static long iterations(Onnx.GraphProto g, Onnx.NodeProto scan) {
        long states = scan.getInputCount() - attr(scan, "num_scan_inputs");
        String rows = scan.getInput((int) states);
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (n.getOutputList().contains(rows) && n.getOpType().equals("Reshape")) {
                for (Onnx.TensorProto t : g.getInitializerList()) {
                    if (t.getName().equals(n.getInput(1))) {
                        return t.getInt64DataCount() > 0
                                ? t.getInt64Data(0)
                                : java.nio.ByteBuffer.wrap(t.getRawData().toByteArray())
                                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                        .getLong(0);
                    }
                }
            }
        }
        throw new IllegalStateException("cannot tell the iterations of " + scan.getName());
    }

    static long attr(Onnx.NodeProto n, String name) {
        return n.getAttributeList().stream()
                .filter(a -> a.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getI();
    }

    static OrtSession open(OrtEnvironment env, byte[] model, OrtSession.SessionOptions.OptLevel level)
            throws Exception {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(level);
            return env.createSession(model, o);
        }
    }

    static float[] flatten(FlatLayout layout, Map<String, Tensor> values) {
        float[] flat = new float[layout.size()];
        for (FlatLayout.Entry e : layout.entries()) {
            float[] v = values.get(e.name()).floats();
            System.arraycopy(v, 0, flat, (int) e.offset(), v.length);
        }
        return flat;
    }

    static float[] floats(OnnxValue v) {
        FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static long peakRssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** Wall time and the process's CPU time (all threads, ONNX Runtime's included). */
    static final class Clock {
        final long wall0 = System.nanoTime();
        final long cpu0 = cpu();
        double wall;
        double cpu;

        static Clock start() {
            return new Clock();
        }

        void stop() {
            wall = (System.nanoTime() - wall0) / 1e9;
            cpu = (cpu() - cpu0) / 1e9;
        }

        static long cpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }
}
