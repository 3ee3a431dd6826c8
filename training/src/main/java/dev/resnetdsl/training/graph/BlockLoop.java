package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.tensor.DType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A run of identical blocks ({@link RepeatedBlocks.Run}) written as ONNX {@code Scan} loops over the blocks'
 * stacked parameters: one loop body per run, whatever the number of blocks.
 *
 * <p>Why: ONNX Runtime's session start-up grows faster than linearly with the node count of a graph (its
 * topological sorts, its memory planner's free list and its execution-plan builder; measured in
 * docs/training-graphs.md, "Depth"), so ResNet-1202's unrolled step graph of 126,000 nodes took minutes to open.
 * With loops the graph holds each distinct block once (ResNet-1202: 3 loops and about 1,100 nodes in all) and
 * opens in about the time ResNet-20's does; a step still costs what the blocks compute.
 *
 * <p>The blocks of a run keep their parameters next to each other in the flat vectors, block after block, in
 * the same order and sizes, so the run's part of {@code params} is a [blocks, B] matrix without any copy: its
 * rows are the loop's scan input. In training:
 *
 * <ul>
 *   <li>the forward loop carries the activation from block to block and saves, per block, what the backward pass
 *       will read (the block's input, BN's centred inputs and scale factors, ReLU outputs) as stacked scan
 *       outputs, plus the block's batch statistics in the statistics layout's order;
 *   <li>the backward loop walks the blocks in reverse, carrying the gradient, reads the saved values back row by
 *       row and writes each block's parameter gradient as a row of a [blocks, B] matrix — which is the run's part
 *       of the flat gradient. When the backward pass reads a block's output (the last ReLU's mask), the loop
 *       carries it as well: block i's output is block i + 1's saved input.
 * </ul>
 *
 * The loop bodies are written by the same {@link ForwardPass} and {@link BackwardPass} as everything else, on
 * the first block of the run, so the arithmetic is the unrolled graph's, operation for operation.
 */
final class BlockLoop {
    private final OnnxGraph g;
    private final RepeatedBlocks.Run run;
    private final List<Layer> template;
    private final Activation in;
    private final Activation out;
    private final List<FlatLayout.Entry> paramEntries;
    private final List<FlatLayout.Entry> statEntries;
    private final String name;

    private String paramRows;
    private OnnxGraph backwardBody;
    private List<Saved> saved;
    private boolean carriesOutput;
    private String[] savedStacks;
    private String forwardOutput;
    /** The run's part of the flat gradient, after {@link #backward}. */
    private String gradChunk;
    /** The run's part of the flat batch statistics, after {@link #forwardTraining}; null without BN. */
    private String statChunk;

    private BlockLoop(OnnxGraph g, RepeatedBlocks.Run run, FlatLayout params, FlatLayout stats) {
        this.g = g;
        this.run = run;
        this.template = run.block(0);
        this.in = run.input();
        this.out = template.get(template.size() - 1).output();
        this.paramEntries = entries(template, params);
        this.statEntries = entries(template, stats);
        this.name = "loop_" + run.from();
    }

    /**
     * The runs written as loops here: those of {@code plan} whose blocks lie in the flat vectors as a loop needs
     * them (nothing frozen, same relative layout, block after block, something to train); the others are returned
     * unrolled. With {@code needGradient} (training), a loop must also pass a gradient to its input: a first block
     * whose input needs none (everything below is frozen) is written on its own.
     *
     * @param needGradient names of the activations the backward pass needs a gradient for, or null (evaluation)
     */
    static List<RepeatedBlocks.Run> fitting(
            List<RepeatedBlocks.Run> plan, FlatLayout params, FlatLayout stats, Set<String> needGradient) {
        List<RepeatedBlocks.Run> out = new ArrayList<>();
        for (RepeatedBlocks.Run run : plan) {
            if (!run.isLoop() || !laidOutAsLoop(run, params, stats)) {
                out.addAll(run.isLoop() ? run.unrolled() : List.of(run));
            } else if (needGradient != null
                    && !needGradient.contains(run.input().name())) {
                List<RepeatedBlocks.Run> parts = run.splitFirst();
                out.add(parts.get(0));
                out.addAll(fitting(List.of(parts.get(1)), params, stats, needGradient));
            } else {
                out.add(run);
            }
        }
        return out;
    }

    private static boolean laidOutAsLoop(RepeatedBlocks.Run run, FlatLayout params, FlatLayout stats) {
        List<String> first = parameterNames(run.block(0));
        if (first.isEmpty()) {
            return false;
        }
        for (String p : first) {
            if (params.entry(p) == null && stats.entry(p) == null) {
                return false; // frozen
            }
        }
        return sameStride(run, params) && sameStride(run, stats);
    }

    /** Block i's entries of {@code layout} start i·B after block 0's, with the same sizes, and are contiguous. */
    private static boolean sameStride(RepeatedBlocks.Run run, FlatLayout layout) {
        List<FlatLayout.Entry> first = entries(run.block(0), layout);
        if (first.isEmpty()) {
            return true;
        }
        long start = first.get(0).offset();
        long size = blockSize(first);
        for (int i = 0; i < run.repeats(); i++) {
            List<FlatLayout.Entry> block = entries(run.block(i), layout);
            if (block.size() != first.size()) {
                return false;
            }
            long next = start + i * size;
            for (int k = 0; k < block.size(); k++) {
                FlatLayout.Entry e = block.get(k);
                if (e.offset() != next || e.length() != first.get(k).length()) {
                    return false;
                }
                next += e.length();
            }
        }
        return true;
    }

    private static List<String> parameterNames(List<Layer> block) {
        List<String> names = new ArrayList<>();
        block.forEach(l -> names.addAll(l.parameterNames()));
        return names;
    }

    /** The block's entries of {@code layout}, in layout order. */
    private static List<FlatLayout.Entry> entries(List<Layer> block, FlatLayout layout) {
        List<FlatLayout.Entry> list = new ArrayList<>();
        for (String p : parameterNames(block)) {
            FlatLayout.Entry e = layout.entry(p);
            if (e != null) {
                list.add(e);
            }
        }
        list.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return list;
    }

    private static long blockSize(List<FlatLayout.Entry> entries) {
        return entries.stream().mapToLong(FlatLayout.Entry::length).sum();
    }

    /** A loop over {@code run}, whose blocks {@link #fitting} accepted. */
    static BlockLoop of(OnnxGraph g, RepeatedBlocks.Run run, FlatLayout params, FlatLayout stats) {
        return new BlockLoop(g, run, params, stats);
    }

    /** Names of the run's entries of {@code layout}, in layout order (one contiguous stretch). */
    List<String> entryNames(FlatLayout layout) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < run.repeats(); i++) {
            entries(run.block(i), layout).forEach(e -> names.add(e.name()));
        }
        return names;
    }

    /** The run's layers. */
    RepeatedBlocks.Run run() {
        return run;
    }

    /**
     * Writes the training forward loop and prepares the backward one; {@code forward} learns the run's output.
     *
     * @param paramChunk the run's part of the flat parameters, 1-D
     * @param allLayers the network's layers, and {@code trainable} its trainable parameters (for the backward
     *     pass's reach)
     */
    void forwardTraining(
            ForwardPass forward, String paramChunk, String batchSize, List<Layer> allLayers, Set<String> trainable) {
        paramRows = rows(paramChunk, paramEntries);

        OnnxGraph fb = g.subgraph(name + "_forward");
        String x = fb.reserve("block_in");
        String row = fb.reserve("param_row");
        ForwardPass f = new ForwardPass(
                fb, true, unpackRow(fb, row, paramEntries), Map.of(), batchSize, in, x, Freezing.none());
        template.forEach(f::layer);

        backwardBody = g.subgraph(name + "_backward");
        String dyIn = backwardBody.reserve("dy");
        String carryIn = backwardBody.reserve("block_out");
        String rowIn = backwardBody.reserve("param_row");
        Recorder recorder = new Recorder(backwardBody, carryIn);
        BackwardPass b = new BackwardPass(
                backwardBody,
                recorder,
                unpackRow(backwardBody, rowIn, paramEntries),
                Map.of(),
                batchSize,
                allLayers,
                trainable);
        b.seed(out, dyIn);
        for (int i = template.size() - 1; i >= 0; i--) {
            b.layer(template.get(i));
        }
        String dx = b.gradient(in);
        if (dx == null) {
            throw new IllegalStateException("no gradient reaches the input of " + name);
        }
        carriesOutput = recorder.carried;
        String carryOut =
                carriesOutput ? backwardBody.op("Identity", "block_in_copy", new String[] {recorder.value(in)}) : null;
        String[] flatGrads = new String[paramEntries.size()];
        for (int k = 0; k < flatGrads.length; k++) {
            String grad = b.paramGrads.get(paramEntries.get(k).name());
            if (grad == null) {
                throw new IllegalStateException(
                        "no gradient reaches " + paramEntries.get(k).name());
            }
            flatGrads[k] = backwardBody.op("Reshape", "grad_flat", new String[] {grad, backwardBody.ints(-1)});
        }
        String gradRow = concat(backwardBody, "grad_row", flatGrads);
        saved = List.copyOf(recorder.saved.values());

        backwardBody.inputReserved(dyIn, DType.F32, dims(out));
        if (carriesOutput) {
            backwardBody.inputReserved(carryIn, DType.F32, dims(out));
        }
        backwardBody.inputReserved(rowIn, DType.F32, blockSize(paramEntries));
        for (Saved s : saved) {
            backwardBody.inputReserved(s.bodyInput, DType.F32, s.dims);
        }
        Set<String> bodyInputs = new HashSet<>();
        bodyInputs.add(dyIn);
        bodyInputs.add(carryIn);
        bodyInputs.add(rowIn);
        saved.forEach(s -> bodyInputs.add(s.bodyInput));
        backwardBody.output(distinct(backwardBody, dx, bodyInputs, new HashSet<>()), DType.F32, dims(in));
        if (carriesOutput) {
            backwardBody.output(carryOut, DType.F32, dims(in));
        }
        backwardBody.output(gradRow, DType.F32, blockSize(paramEntries));

        // The forward body's outputs: the block's output (the loop state), then what the backward body reads, then
        // the batch statistics.
        fb.inputReserved(x, DType.F32, dims(in));
        fb.inputReserved(row, DType.F32, blockSize(paramEntries));
        Set<String> taken = new HashSet<>();
        Set<String> fbInputs = Set.of(x, row);
        String y = distinct(fb, f.value(out), fbInputs, taken);
        fb.output(y, DType.F32, dims(out));
        for (Saved s : saved) {
            fb.output(distinct(fb, s.source.apply(f), fbInputs, taken), DType.F32, s.dims);
        }
        if (!statEntries.isEmpty()) {
            String[] parts = new String[statEntries.size()];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = fb.op("Reshape", "stat_flat", new String[] {
                    f.batchStats.get(statEntries.get(k).name()), fb.ints(-1)
                });
            }
            fb.output(concat(fb, "stat_row", parts), DType.F32, blockSize(statEntries));
        }

        int scanOutputs = saved.size() + (statEntries.isEmpty() ? 0 : 1);
        String[] outputs = g.scan(
                name + "_out",
                fb,
                new String[] {forward.value(in), paramRows},
                1,
                new int[] {0},
                1 + scanOutputs,
                new int[scanOutputs]);
        forwardOutput = outputs[0];
        forward.define(run.output(), forwardOutput);
        savedStacks = java.util.Arrays.copyOfRange(outputs, 1, 1 + saved.size());
        if (!statEntries.isEmpty()) {
            statChunk = g.op("Reshape", name + "_stats", new String[] {outputs[outputs.length - 1], g.ints(-1)});
        }
    }

    /**
     * Writes the backward loop: reads the gradient of the run's output from {@code backward} and adds the
     * gradient of its input to it.
     */
    void backward(BackwardPass backward) {
        String dy = backward.gradient(run.output());
        if (dy == null) {
            throw new IllegalStateException("no gradient reaches the output of " + name);
        }
        List<String> inputs = new ArrayList<>();
        inputs.add(dy);
        if (carriesOutput) {
            inputs.add(forwardOutput);
        }
        inputs.add(paramRows);
        inputs.addAll(List.of(savedStacks));
        int scanInputs = 1 + savedStacks.length;
        int[] reverse = new int[scanInputs];
        java.util.Arrays.fill(reverse, 1);
        String[] outputs = g.scan(
                name + "_grad",
                backwardBody,
                inputs.toArray(new String[0]),
                scanInputs,
                reverse,
                carriesOutput ? 3 : 2,
                new int[] {1});
        backward.accumulate(run.input(), outputs[0]);
        gradChunk = g.op("Reshape", name + "_grads", new String[] {outputs[outputs.length - 1], g.ints(-1)});
    }

    /** Writes the evaluation loop (BN on running statistics); {@code forward} learns the run's output. */
    void forwardEval(ForwardPass forward, String paramChunk, String statChunk, String batchSize) {
        String prows = rows(paramChunk, paramEntries);
        OnnxGraph fb = g.subgraph(name + "_eval");
        String x = fb.reserve("block_in");
        String row = fb.reserve("param_row");
        String srow = statEntries.isEmpty() ? null : fb.reserve("stat_row");
        ForwardPass f = new ForwardPass(
                fb,
                false,
                unpackRow(fb, row, paramEntries),
                srow == null ? Map.of() : unpackRow(fb, srow, statEntries),
                batchSize,
                in,
                x,
                Freezing.none());
        template.forEach(f::layer);
        fb.inputReserved(x, DType.F32, dims(in));
        fb.inputReserved(row, DType.F32, blockSize(paramEntries));
        List<String> inputs = new ArrayList<>(List.of(forward.value(in), prows));
        if (srow != null) {
            fb.inputReserved(srow, DType.F32, blockSize(statEntries));
            inputs.add(rows(statChunk, statEntries));
        }
        Set<String> fbInputs = srow == null ? Set.of(x, row) : Set.of(x, row, srow);
        fb.output(distinct(fb, f.value(out), fbInputs, new HashSet<>()), DType.F32, dims(out));
        int scanInputs = inputs.size() - 1;
        String[] outputs = g.scan(
                name + "_out", fb, inputs.toArray(new String[0]), scanInputs, new int[scanInputs], 1, new int[0]);
        forward.define(run.output(), outputs[0]);
    }

    /** The run's part of the flat gradient (after {@link #backward}). */
    String gradChunk() {
        return gradChunk;
    }

    /** The run's part of the flat batch statistics (after {@link #forwardTraining}), or null without BN. */
    String statChunk() {
        return statChunk;
    }

    private String rows(String chunk, List<FlatLayout.Entry> entries) {
        return g.op("Reshape", name + "_rows", new String[] {chunk, g.ints(run.repeats(), blockSize(entries))});
    }

    /** One block's parameters (or statistics) from its row, by the first block's names, in their own shapes. */
    private static Map<String, String> unpackRow(OnnxGraph body, String row, List<FlatLayout.Entry> entries) {
        Map<String, String> values = new LinkedHashMap<>();
        long[] sizes = entries.stream().mapToLong(FlatLayout.Entry::length).toArray();
        String[] parts = sizes.length == 1
                ? new String[] {row}
                : body.ops("Split", "unpack", sizes.length, new String[] {row, body.ints(sizes)}, "axis", 0);
        for (int k = 0; k < entries.size(); k++) {
            int[] shape = entries.get(k).shape();
            values.put(
                    entries.get(k).name(),
                    shape.length == 1
                            ? parts[k]
                            : body.op("Reshape", "unpacked", new String[] {parts[k], body.ints(longs(shape))}));
        }
        return values;
    }

    private static String concat(OnnxGraph body, String prefix, String[] parts) {
        return parts.length == 1 ? parts[0] : body.op("Concat", prefix, parts, "axis", 0);
    }

    /**
     * {@code value}, or a copy of it when it cannot be a graph output as it is: ONNX Runtime wants each output of a
     * loop body to be a value of its own, not one of the body's inputs nor another output.
     */
    private static String distinct(OnnxGraph body, String value, Set<String> inputs, Set<String> taken) {
        String v = inputs.contains(value) || taken.contains(value)
                ? body.op("Identity", "copy", new String[] {value})
                : value;
        taken.add(v);
        return v;
    }

    private static long[] dims(Activation a) {
        return new long[] {-1, a.channels(), a.height(), a.width()};
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    /** A value the backward body reads: its input there, its shape, and where the forward body has it. */
    private record Saved(String bodyInput, long[] dims, Function<SavedValues, String> source) {}

    /**
     * The backward body's view of the forward pass: each value asked for becomes an input of the body (a row of
     * a stack the forward loop saves), except the block's output, which the loop carries.
     */
    private final class Recorder implements SavedValues {
        private final OnnxGraph body;
        private final String carry;
        final Map<String, Saved> saved = new LinkedHashMap<>();
        boolean carried;

        Recorder(OnnxGraph body, String carry) {
            this.body = body;
            this.carry = carry;
        }

        @Override
        public String value(Activation a) {
            if (a.name().equals(out.name())) {
                carried = true;
                return carry;
            }
            return request("v:" + a.name(), "saved_value", dims(a), f -> f.value(a));
        }

        @Override
        public String centred(Layer.BatchNorm b) {
            return request("c:" + b.name(), "saved_centred", dims(b.input()), f -> f.centred(b));
        }

        @Override
        public String invStd(Layer.BatchNorm b) {
            return request("i:" + b.name(), "saved_invstd", channelDims(b), f -> f.invStd(b));
        }

        @Override
        public String scale(Layer.BatchNorm b) {
            return request("s:" + b.name(), "saved_scale", channelDims(b), f -> f.scale(b));
        }

        private String request(String key, String prefix, long[] dims, Function<SavedValues, String> source) {
            return saved.computeIfAbsent(key, k -> new Saved(body.reserve(prefix), dims, source)).bodyInput;
        }

        private long[] channelDims(Layer.BatchNorm b) {
            return new long[] {1, b.input().channels(), 1, 1};
        }
    }
}
