package dev.resnetdsl.runtime.onnx;

import com.google.protobuf.ByteString;
import dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.OperatorSetIdProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorShapeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TypeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ValueInfoProto;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an ONNX graph and model with the generated protobuf classes: nodes with typed attributes,
 * initializers from {@link Tensor}s, typed graph inputs and outputs with symbolic dimensions, and a
 * {@link ModelProto} with the IR version that matches the opset. Every value and node name passes through
 * one allocator, so names are unique within the graph.
 *
 * <pre>{@code
 * GraphBuilder g = new GraphBuilder("tiny");
 * g.input("input", DType.F32, "N", 3, 32, 32);
 * String w = g.initializer("conv1.weight", weight);
 * String y = g.node("Conv", "input", w).attr("pads", 1, 1, 1, 1).output("conv1");
 * g.output(g.node("Relu", y).output("logits", true), DType.F32, "N", 16, 32, 32);
 * ModelProto model = g.model(17);
 * }</pre>
 */
public final class GraphBuilder {
    /** Default domain ({@code ai.onnx}), written as the empty string as ONNX's tools do. */
    public static final String DEFAULT_DOMAIN = "";

    private final String graphName;
    /** Value names of this graph and of every graph nested in it or around it (ONNX forbids shadowing). */
    private final Set<String> valueNames;
    /** Base name → the next suffix {@link #uniqueName} tries for it (shared like {@link #valueNames}). */
    private final Map<String, Integer> nextSuffix;
    /** Prefix of generated node names: empty for a top-level graph, {@code body/} for a subgraph. */
    private final String nodeNamePrefix;

    private final Set<String> nodeNames = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<ValueInfoProto> valueInfos = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Long> extraOpsets = new LinkedHashMap<>();
    private String graphDoc = "";
    private String modelDoc = "";
    private String producerName = "resnet-dsl";
    private String producerVersion = "";

    /** A builder for a graph called {@code graphName}. */
    public GraphBuilder(String graphName) {
        this(graphName, new HashSet<>(), new HashMap<>(), "");
    }

    private GraphBuilder(
            String graphName, Set<String> valueNames, Map<String, Integer> nextSuffix, String nodeNamePrefix) {
        this.graphName = graphName;
        this.valueNames = valueNames;
        this.nextSuffix = nextSuffix;
        this.nodeNamePrefix = nodeNamePrefix;
    }

    /**
     * A builder for a graph nested in this one (the {@code body} of a {@code Scan} or {@code Loop} node). It shares
     * this graph's value names, because ONNX requires a nested graph's names to differ from those of the scopes
     * around it (and lets the nested graph read those outer values by name); its generated node names start with
     * {@code graphName/}.
     */
    public GraphBuilder subgraph(String subgraphName) {
        return new GraphBuilder(subgraphName, valueNames, nextSuffix, nodeNamePrefix + subgraphName + "/");
    }

    /**
     * The IR version that ships with an opset of the default domain (ONNX's versioning table): 13–14 → 7,
     * 15–18 → 8, 19–20 → 9, 21–22 → 10, 23 → 11.
     */
    public static long irVersionFor(int opset) {
        if (opset < 13 || opset > 23) {
            throw new IllegalArgumentException("opset " + opset + " has no IR version here; the table covers 13 to 23");
        }
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        if (opset <= 20) {
            return 9;
        }
        if (opset <= 22) {
            return 10;
        }
        return 11;
    }

    /** A fresh value name derived from {@code base} ({@code base}, {@code base_2}, …), now reserved. */
    public String uniqueName(String base) {
        // Starting where the last search for this base stopped gives the same names as probing base, base_2,
        // base_3, … from the start (names are only ever added), without the quadratic cost: ResNet-1202's
        // unrolled step graph asked for "bn_mean" 2,400 times, and writing it took 50 s instead of 17 s.
        Integer from = nextSuffix.get(base);
        int i = from == null ? 2 : from;
        String candidate = from == null ? base : base + "_" + i++;
        while (!valueNames.add(candidate)) {
            candidate = base + "_" + i++;
        }
        nextSuffix.put(base, i);
        return candidate;
    }

    /** Reserves an exact value name; fails when it is already used. */
    public String reserve(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("ONNX value names must not be empty");
        }
        if (!valueNames.add(name)) {
            throw new IllegalArgumentException("duplicate ONNX value name '" + name + "'");
        }
        return name;
    }

    /** True when the name is taken by a value of this graph. */
    public boolean isTaken(String name) {
        return valueNames.contains(name);
    }

    /** Adds a graph input of element type {@code type}; dims are Integers/Longs (fixed) or Strings (symbolic). */
    public String input(String name, DType type, Object... dims) {
        inputs.add(valueInfo(reserve(name), TensorProtos.elementType(type), dims));
        return name;
    }

    /**
     * Adds a graph input under a name reserved earlier with {@link #uniqueName} (a nested graph's inputs are
     * often known only after its nodes are written, and their order is fixed by the operator).
     */
    public String inputReserved(String name, DType type, Object... dims) {
        if (!valueNames.contains(name)) {
            throw new IllegalArgumentException("input '" + name + "' was not reserved");
        }
        inputs.add(valueInfo(name, TensorProtos.elementType(type), dims));
        return name;
    }

    /** Declares an existing value as a graph output; dims as for {@link #input}. */
    public String output(String name, DType type, Object... dims) {
        outputs.add(valueInfo(name, TensorProtos.elementType(type), dims));
        return name;
    }

    /** Records the type and shape of an intermediate value (optional; helps tools like Netron). */
    public void valueInfo(String name, DType type, Object... dims) {
        valueInfos.add(valueInfo(name, TensorProtos.elementType(type), dims));
    }

    /** Adds an initializer under exactly {@code name}. */
    public String initializer(String name, Tensor tensor) {
        initializers.add(TensorProtos.toProto(reserve(name), tensor));
        return name;
    }

    /** Adds an initializer under a fresh name derived from {@code base}. */
    public String constant(String base, Tensor tensor) {
        String name = uniqueName(base);
        initializers.add(TensorProtos.toProto(name, tensor));
        return name;
    }

    /** A 1-D int64 initializer (shapes, axes, pads) under a fresh name derived from {@code base}. */
    public String int64s(String base, long... values) {
        return constant(base, Tensor.ofLongs(new int[] {values.length}, values.clone()));
    }

    /** Adds a ready-made initializer proto (its name is reserved). */
    public String initializer(TensorProto proto) {
        reserve(proto.getName());
        initializers.add(proto);
        return proto.getName();
    }

    /** Starts a node of {@code opType} (default domain) reading {@code inputs} (use "" for a skipped optional input). */
    public Node node(String opType, String... inputs) {
        Node n = new Node(opType, List.of(inputs));
        nodes.add(n);
        return n;
    }

    /** Sets the graph's doc string. */
    public GraphBuilder graphDoc(String doc) {
        this.graphDoc = doc;
        return this;
    }

    /** Sets the model's doc string. */
    public GraphBuilder modelDoc(String doc) {
        this.modelDoc = doc;
        return this;
    }

    /** Sets producer name and version. */
    public GraphBuilder producer(String name, String version) {
        this.producerName = name;
        this.producerVersion = version;
        return this;
    }

    /** Adds a {@code metadata_props} entry (later values replace earlier ones with the same key). */
    public GraphBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Imports another operator-set domain (e.g. {@code com.microsoft}). */
    public GraphBuilder opsetImport(String domain, long version) {
        extraOpsets.put(domain, version);
        return this;
    }

    /** The graph built so far. */
    public GraphProto graph() {
        GraphProto.Builder g = GraphProto.newBuilder().setName(graphName);
        if (!graphDoc.isEmpty()) {
            g.setDocString(graphDoc);
        }
        Set<String> usedNodeNames = new HashSet<>(nodeNames);
        int counter = 0;
        for (Node n : nodes) {
            if (n.outputs.isEmpty()) {
                throw new IllegalStateException(n.opType + " node reading " + n.inputs + " has no output");
            }
            String name = n.name;
            if (name == null) {
                do {
                    name = nodeNamePrefix + n.opType + "_" + counter++;
                } while (usedNodeNames.contains(name));
                usedNodeNames.add(name);
            }
            // A copy of the node's builder: graph() may be called more than once (a subgraph's proto is taken for
            // its parent's attribute), and adding the inputs to the builder itself would repeat them each time.
            g.addNode(n.proto.clone().setName(name).addAllInput(n.inputs).addAllOutput(n.outputs));
        }
        return g.addAllInitializer(initializers)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllValueInfo(valueInfos)
                .build();
    }

    /** A model around the graph for {@code opset} of the default domain, with the matching IR version. */
    public ModelProto model(int opset) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(irVersionFor(opset))
                .setProducerName(producerName)
                .addOpsetImport(OperatorSetIdProto.newBuilder()
                        .setDomain(DEFAULT_DOMAIN)
                        .setVersion(opset));
        if (!producerVersion.isEmpty()) {
            m.setProducerVersion(producerVersion);
        }
        extraOpsets.forEach((domain, version) -> m.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        if (!modelDoc.isEmpty()) {
            m.setDocString(modelDoc);
        }
        metadata.forEach((k, v) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.setGraph(graph()).build();
    }

    private static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof Integer || d instanceof Long) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            } else if (d instanceof String s) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            } else {
                throw new IllegalArgumentException("dimension " + d + " of " + name + " must be a number or a name");
            }
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(elemType)
                                .setShape(shape)))
                .build();
    }

    /** One node under construction; attributes and outputs are added fluently. */
    public final class Node {
        private final String opType;
        private final List<String> inputs;
        private final List<String> outputs = new ArrayList<>();
        private final NodeProto.Builder proto;
        private String name;

        private Node(String opType, List<String> inputs) {
            this.opType = opType;
            this.inputs = inputs;
            this.proto = NodeProto.newBuilder().setOpType(opType);
        }

        /** Names the node (unique among nodes). */
        public Node name(String nodeName) {
            if (!nodeNames.add(nodeName)) {
                throw new IllegalArgumentException("duplicate ONNX node name '" + nodeName + "'");
            }
            this.name = nodeName;
            return this;
        }

        /** Sets the operator domain (default: ai.onnx). */
        public Node domain(String domain) {
            proto.setDomain(domain);
            return this;
        }

        /** Sets the node's doc string. */
        public Node doc(String doc) {
            proto.setDocString(doc);
            return this;
        }

        /** An int attribute. */
        public Node attr(String key, long value) {
            proto.addAttribute(AttributeProto.newBuilder()
                    .setName(key)
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(value));
            return this;
        }

        /** An ints attribute. */
        public Node attr(String key, long... values) {
            AttributeProto.Builder a =
                    AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            proto.addAttribute(a);
            return this;
        }

        /** A float attribute. */
        public Node attr(String key, float value) {
            proto.addAttribute(AttributeProto.newBuilder()
                    .setName(key)
                    .setType(AttributeProto.AttributeType.FLOAT)
                    .setF(value));
            return this;
        }

        /** A floats attribute. */
        public Node attr(String key, float... values) {
            AttributeProto.Builder a =
                    AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.FLOATS);
            for (float v : values) {
                a.addFloats(v);
            }
            proto.addAttribute(a);
            return this;
        }

        /** A string attribute. */
        public Node attr(String key, String value) {
            proto.addAttribute(AttributeProto.newBuilder()
                    .setName(key)
                    .setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
            return this;
        }

        /** A tensor attribute (e.g. {@code Constant}'s {@code value}). */
        public Node attr(String key, Tensor value) {
            proto.addAttribute(AttributeProto.newBuilder()
                    .setName(key)
                    .setType(AttributeProto.AttributeType.TENSOR)
                    .setT(TensorProtos.toProto("", value)));
            return this;
        }

        /** A ready-made attribute (graphs, strings lists, …). */
        public Node attr(AttributeProto attribute) {
            proto.addAttribute(attribute);
            return this;
        }

        /** Adds outputs under exactly these names (each reserved) and returns the node. */
        public Node outputs(String... names) {
            for (String n : names) {
                outputs.add(reserve(n));
            }
            return this;
        }

        /** Adds one output under a fresh name derived from {@code base} and returns that name. */
        public String output(String base) {
            String n = uniqueName(base);
            outputs.add(n);
            return n;
        }

        /**
         * Adds one output and returns its name: exactly {@code name} when {@code exact} (fails if taken),
         * else a fresh name derived from it.
         */
        public String output(String name, boolean exact) {
            if (exact) {
                outputs.add(reserve(name));
                return name;
            }
            return output(name);
        }

        /**
         * Adds outputs whose names the caller already reserved with {@link #reserve} or {@link #uniqueName}
         * (or "" for a skipped optional output), e.g. when copying nodes from another graph.
         */
        public Node outputsAlreadyReserved(String... names) {
            for (String n : names) {
                if (!n.isEmpty() && !valueNames.contains(n)) {
                    throw new IllegalArgumentException("output '" + n + "' was not reserved");
                }
                outputs.add(n);
            }
            return this;
        }

        /** The node's outputs so far. */
        public List<String> outputNames() {
            return List.copyOf(outputs);
        }
    }
}
