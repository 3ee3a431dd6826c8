package dev.resnetdsl.training.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a graph cuts one flat vector ({@code params}, {@code stats}, the gradient): a piece per tensor of the layers
 * written one by one, and one piece per {@link BlockLoop} holding all its blocks' tensors (the loop reads it as
 * rows). The graph unpacks the vector with one {@code Split} into these pieces, and assembles the flat gradient
 * and batch statistics from them with one {@code Concat}.
 *
 * <p>One Split rather than a Slice per tensor: each Slice of a graph input is ready at the start, and ONNX
 * Runtime's topological sort keeps ready nodes in a list that every insertion walks, so thousands of them made
 * its start-up quadratic (see docs/training-graphs.md, "Depth").
 */
final class FlatPieces {
    /** One piece: a tensor ({@code loop == null}) or a loop's stretch. */
    record Piece(FlatLayout.Entry entry, BlockLoop loop, long length) {}

    private final List<Piece> pieces = new ArrayList<>();

    FlatPieces(FlatLayout layout, List<BlockLoop> loops) {
        Map<String, BlockLoop> owner = new HashMap<>();
        for (BlockLoop loop : loops) {
            loop.entryNames(layout).forEach(name -> owner.put(name, loop));
        }
        BlockLoop open = null;
        long openLength = 0;
        for (FlatLayout.Entry e : layout.entries()) {
            BlockLoop loop = owner.get(e.name());
            if (loop != open && open != null) {
                pieces.add(new Piece(null, open, openLength));
                open = null;
            }
            if (loop == null) {
                pieces.add(new Piece(e, null, e.length()));
            } else {
                if (open == null) {
                    open = loop;
                    openLength = 0;
                }
                openLength += e.length();
            }
        }
        if (open != null) {
            pieces.add(new Piece(null, open, openLength));
        }
    }

    /** The pieces in the vector's order. */
    List<Piece> pieces() {
        return pieces;
    }

    /**
     * Splits the graph value {@code flat} into the pieces: {@code tensors} receives each tensor in its own shape by
     * name, {@code loops} each loop's stretch (1-D).
     */
    void unpack(OnnxGraph g, String flat, Map<String, String> tensors, Map<BlockLoop, String> loops) {
        if (pieces.isEmpty()) {
            return;
        }
        String[] parts;
        if (pieces.size() == 1) {
            parts = new String[] {flat};
        } else {
            long[] sizes = pieces.stream().mapToLong(Piece::length).toArray();
            parts = g.ops("Split", "unpack", sizes.length, new String[] {flat, g.ints(sizes)}, "axis", 0);
        }
        for (int i = 0; i < parts.length; i++) {
            Piece p = pieces.get(i);
            if (p.loop() != null) {
                loops.put(p.loop(), parts[i]);
                continue;
            }
            int[] shape = p.entry().shape();
            if (shape.length == 1) {
                tensors.put(p.entry().name(), parts[i]);
            } else {
                long[] dims = new long[shape.length];
                for (int k = 0; k < shape.length; k++) {
                    dims[k] = shape[k];
                }
                tensors.put(p.entry().name(), g.op("Reshape", "unpacked", new String[] {parts[i], g.ints(dims)}));
            }
        }
    }

    /**
     * The values whose concatenation is the flat vector: {@code tensor} gives a tensor's value by name (any shape;
     * flattened here), {@code loop} a loop's 1-D stretch.
     */
    String[] parts(OnnxGraph g, Function<String, String> tensor, Function<BlockLoop, String> loop) {
        String[] parts = new String[pieces.size()];
        for (int i = 0; i < parts.length; i++) {
            Piece p = pieces.get(i);
            if (p.loop() != null) {
                parts[i] = loop.apply(p.loop());
            } else {
                String v = tensor.apply(p.entry().name());
                if (v == null) {
                    throw new IllegalStateException(
                            "nothing computed for " + p.entry().name());
                }
                parts[i] = g.op("Reshape", "flat", new String[] {v, g.ints(-1)});
            }
        }
        return parts;
    }
}
