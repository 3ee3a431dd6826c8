package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.io.Printable;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named tensor lives inside one flat float vector. The training graphs take all trainable
 * parameters as one input (and momentum buffers and BN running statistics likewise), so that a step
 * exchanges three large buffers with ONNX Runtime instead of hundreds of small tensors.
 */
public final class FlatLayout {
    /** One tensor inside the flat vector. */
    public record Entry(String name, int[] shape, long offset, long length) {
        public Entry {
            if (name == null || shape == null) {
                throw new IllegalArgumentException("a flat layout entry needs a name and a shape");
            }
            shape = shape.clone();
            for (int d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException("flat layout entry " + Printable.name(name) + " has dimension "
                            + d + " (dimensions are at least 1)");
                }
            }
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException(
                        "flat layout entry " + Printable.name(name) + " has a negative offset or length");
            }
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e
                    && name.equals(e.name)
                    && Arrays.equals(shape, e.shape)
                    && offset == e.offset
                    && length == e.length;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Long.hashCode(offset);
        }
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byName;
    private final long size;

    /** A layout of the given entries, which must be contiguous from 0 in order. */
    public FlatLayout(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        Map<String, Entry> map = new LinkedHashMap<>();
        long next = 0;
        for (Entry e : this.entries) {
            if (e.offset() != next || e.length() != elements(e.shape())) {
                throw new IllegalArgumentException(
                        "flat layout entry " + Printable.name(e.name()) + " is not contiguous");
            }
            if (map.put(e.name(), e) != null) {
                throw new IllegalArgumentException("duplicate flat layout entry " + Printable.name(e.name()));
            }
            next += e.length();
            if (next > Integer.MAX_VALUE - 8) {
                break;
            }
        }
        if (next > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    next + " values do not fit one flat tensor (limit 2^31); the model is too large to train");
        }
        this.byName = Collections.unmodifiableMap(map);
        this.size = next;
    }

    /** Trainable parameters of the network in creation order. */
    public static FlatLayout trainable(Network net) {
        return trainable(net, Freezing.none());
    }

    /** BN running statistics of the network in creation order (mean, var per BN). */
    public static FlatLayout statistics(Network net) {
        return statistics(net, Freezing.none());
    }

    /** The parameters gradient descent updates: trainable kinds, not frozen. */
    public static FlatLayout trainable(Network net, Freezing freezing) {
        return of(net, p -> p.kind().trainable() && !freezing.frozen(p.name()));
    }

    /** The running statistics the step updates: those of BN layers that are not frozen. */
    public static FlatLayout statistics(Network net, Freezing freezing) {
        return of(net, p -> !p.kind().trainable() && !freezing.frozen(p.name()));
    }

    /** Everything frozen (parameters and the running statistics of frozen BN layers): constant inputs. */
    public static FlatLayout frozen(Network net, Freezing freezing) {
        return of(net, p -> freezing.frozen(p.name()));
    }

    private static FlatLayout of(Network net, java.util.function.Predicate<Parameter> selected) {
        List<Entry> list = new ArrayList<>();
        long offset = 0;
        for (Parameter p : net.parameters().values()) {
            if (selected.test(p)) {
                list.add(new Entry(p.name(), p.shape(), offset, p.elements()));
                offset += p.elements();
            }
        }
        return new FlatLayout(list);
    }

    /** The number of elements of {@code shape}, or −1 when it does not fit a long. */
    static long elements(int[] shape) {
        long n = 1;
        try {
            for (int d : shape) {
                n = Math.multiplyExact(n, d);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return n;
    }

    /** The entries in order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry of that name, or null. */
    public Entry entry(String name) {
        return byName.get(name);
    }

    /** The entry holding the value at {@code index} of the flat vector. */
    public Entry entryAt(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside a flat vector of " + size);
        }
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (entries.get(mid).offset() <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return entries.get(lo);
    }

    /** Total number of floats. */
    public int size() {
        return (int) size;
    }
}
