package dev.resnetdsl.spark;

import dev.resnetdsl.runtime.inference.BatchClassifier;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.SessionSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Classifies images with an ONNX classifier, as a Spark ML {@link Transformer}: the input column holds Spark's
 * {@code image} data-source structs, or encoded files (the {@code content} of the {@code binaryFile} source: JPEG,
 * PNG, …), and the preprocessing is the one the model records in its metadata — the code path of
 * {@code resnet predict} ({@code BatchClassifier}), so both give the same answers for the same image.
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("photos/");
 * Dataset<Row> classified = new ImageClassifier()
 *         .setModelPath("hdfs:///models/birds.onnx").setInputCol("content").setTopKCol("top5")
 *         .transform(files);
 * }</pre>
 *
 * <p>Output columns: {@code prediction} (class index), {@code predictedLabel} (its name), {@code probability} (its
 * softmax probability), optionally {@code topKCol} (array of {@code struct<index, label, probability>}, most probable
 * first) and {@code logitsCol} (the model's raw output row as an ML vector), and {@code error}: null when the row was
 * classified, else why not — an image that cannot be decoded gets nulls and the reason, and the job goes on.
 *
 * <p>How it runs: the model file is read on the driver and broadcast once per application; each executor JVM opens one
 * ONNX Runtime session per model content hash, shared by all its tasks and jobs ({@link ExecutorCache}) and closed when
 * the executor stops ({@link ResNetSparkPlugin}); each task classifies its partition in batches of {@code batchSize}
 * rows with {@code threadsPerTask} ONNX Runtime threads, so that an executor's tasks share its cores instead of
 * oversubscribing them. Only the params are saved with a pipeline, not the model: it is read from {@code modelPath}
 * when the loaded stage runs.
 */
public final class ImageClassifier extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> inputCol;
    private final Param<String> pathCol;
    private final Param<String> predictionCol;
    private final Param<String> predictedLabelCol;
    private final Param<String> probabilityCol;
    private final Param<String> topKCol;
    private final IntParam topK;
    private final Param<String> logitsCol;
    private final Param<String> errorCol;
    private final IntParam batchSize;
    private final IntParam threadsPerTask;
    private final Param<String> device;

    /** A classifier with a random uid. */
    public ImageClassifier() {
        this(Identifiable.randomUID("imageClassifier"));
    }

    /** A classifier with {@code uid} (how Spark's reader and {@link #copy} make one). */
    public ImageClassifier(String uid) {
        // The uid first: a Param's constructor reads its parent's uid.
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath", "the ONNX classifier (a path on any Hadoop file system)");
        inputCol = new Param<>(this, "inputCol", "the images: an image data-source struct, or encoded file bytes");
        pathCol = new Param<>(
                this, "pathCol", "names the row in errors when the input is file bytes (binaryFile's path column)");
        predictionCol = new Param<>(this, "predictionCol", "output: the most probable class's index (int)");
        predictedLabelCol = new Param<>(this, "predictedLabelCol", "output: the most probable class's name");
        probabilityCol = new Param<>(this, "probabilityCol", "output: the most probable class's probability");
        topKCol = new Param<>(
                this,
                "topKCol",
                "output: the topK most probable classes, array<struct<index,label,probability>>"
                        + " (empty: no such column)");
        topK = new IntParam(this, "topK", "classes in topKCol (1-1000)", ParamValidators.inRange(1, 1000));
        logitsCol = new Param<>(this, "logitsCol", "output: the model's raw output row as a vector (empty: none)");
        errorCol = new Param<>(this, "errorCol", "output: why a row could not be classified, null when it was");
        batchSize =
                new IntParam(this, "batchSize", "rows per ONNX Runtime run (1-4096)", ParamValidators.inRange(1, 4096));
        threadsPerTask = new IntParam(
                this,
                "threadsPerTask",
                "ONNX Runtime threads per run; match spark.task.cpus (0: ONNX Runtime takes every core)",
                ParamValidators.inRange(0, SessionSettings.MAX_THREADS));
        device = new Param<>(this, "device", "cpu, cuda or cuda:N");
        setDefault(inputCol, "image");
        setDefault(pathCol, "path");
        setDefault(predictionCol, "prediction");
        setDefault(predictedLabelCol, "predictedLabel");
        setDefault(probabilityCol, "probability");
        setDefault(topKCol, "");
        setDefault(topK, 5);
        setDefault(logitsCol, "");
        setDefault(errorCol, "error");
        setDefault(batchSize, 32);
        setDefault(threadsPerTask, 1);
        setDefault(device, "cpu");
    }

    /** Spark's ML readers find this static method by reflection ({@code PipelineModel.load} uses it). */
    public static MLReader<ImageClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a classifier saved with {@code write().save(path)}. */
    public static ImageClassifier load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark finds params by reflection: public methods without arguments that return a Param.

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> pathCol() {
        return pathCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> predictedLabelCol() {
        return predictedLabelCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> topKCol() {
        return topKCol;
    }

    public IntParam topK() {
        return topK;
    }

    public Param<String> logitsCol() {
        return logitsCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    public Param<String> device() {
        return device;
    }

    public String getModelPath() {
        return isDefined(modelPath) ? getOrDefault(modelPath) : null;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getPathCol() {
        return getOrDefault(pathCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getPredictedLabelCol() {
        return getOrDefault(predictedLabelCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getTopKCol() {
        return getOrDefault(topKCol);
    }

    // IntParam is a Param<Object> as Java sees it.
    public int getTopK() {
        return (Integer) getOrDefault(topK);
    }

    public String getLogitsCol() {
        return getOrDefault(logitsCol);
    }

    public String getErrorCol() {
        return getOrDefault(errorCol);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public int getThreadsPerTask() {
        return (Integer) getOrDefault(threadsPerTask);
    }

    public String getDevice() {
        return getOrDefault(device);
    }

    public ImageClassifier setModelPath(String value) {
        set(modelPath, value);
        return this;
    }

    public ImageClassifier setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public ImageClassifier setPathCol(String value) {
        set(pathCol, value);
        return this;
    }

    public ImageClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public ImageClassifier setPredictedLabelCol(String value) {
        set(predictedLabelCol, value);
        return this;
    }

    public ImageClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    /** Adds a column with the {@link #setTopK topK} most probable classes ({@code ""}: none). */
    public ImageClassifier setTopKCol(String value) {
        set(topKCol, value);
        return this;
    }

    public ImageClassifier setTopK(int value) {
        set(topK, value);
        return this;
    }

    /** Adds a column with the model's raw output row, an ML vector ({@code ""}: none). */
    public ImageClassifier setLogitsCol(String value) {
        set(logitsCol, value);
        return this;
    }

    public ImageClassifier setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    public ImageClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public ImageClassifier setThreadsPerTask(int value) {
        set(threadsPerTask, value);
        return this;
    }

    /** {@code cpu} (the default), {@code cuda} or {@code cuda:N}, on every executor. */
    public ImageClassifier setDevice(String value) {
        Device.parse(value);
        set(device, value);
        return this;
    }

    @Override
    public ImageClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = getInputCol();
        List<String> present = Arrays.asList(schema.fieldNames());
        if (!present.contains(in)) {
            throw new IllegalArgumentException(
                    "input column '" + in + "' is not among the columns " + present + " (set inputCol)");
        }
        DataType type = schema.apply(in).dataType();
        if (!SparkImages.isImageStruct(type) && !type.sameType(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("input column '" + in + "' is " + type.simpleString()
                    + "; it must hold image data-source structs or encoded image bytes (binary)");
        }
        StructType out = schema;
        Set<String> added = new LinkedHashSet<>();
        for (StructField f : outputFields()) {
            if (present.contains(f.name()) || !added.add(f.name())) {
                throw new IllegalArgumentException("output column '" + f.name() + "' already exists");
            }
            out = out.add(f);
        }
        return out;
    }

    /** The columns this stage appends, in order. */
    List<StructField> outputFields() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(getPredictionCol(), DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(getPredictedLabelCol(), DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(getProbabilityCol(), DataTypes.DoubleType, true));
        if (!getTopKCol().isEmpty()) {
            fields.add(DataTypes.createStructField(getTopKCol(), DataTypes.createArrayType(RANKED, false), true));
        }
        if (!getLogitsCol().isEmpty()) {
            fields.add(DataTypes.createStructField(getLogitsCol(), SQLDataTypes.VectorType(), true));
        }
        fields.add(DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
        return fields;
    }

    /** One entry of the top-k column. */
    static final StructType RANKED = DataTypes.createStructType(List.of(
            DataTypes.createStructField("index", DataTypes.IntegerType, false),
            DataTypes.createStructField("label", DataTypes.StringType, false),
            DataTypes.createStructField("probability", DataTypes.DoubleType, false)));

    /**
     * The classifier this JVM's tasks use for this stage's model, opened now if need be: on the driver it checks the
     * model before a job starts and tells what preprocessing applies; in local mode the driver is the executor, so this
     * is the very session the tasks will share.
     *
     * @throws java.io.UncheckedIOException when the model cannot be read or is not an image classifier
     */
    public BatchClassifier driverClassifier(SparkSession spark) {
        SessionSettings settings =
                SessionSettings.of(Device.parse(getDevice())).withIntraOpThreads(getThreadsPerTask());
        ModelBroadcasts.Shipped model = ModelBroadcasts.of(spark.sparkContext(), getModelPath());
        return ExecutorCache.get(
                ClassifyPartition.cacheKey(model.sha256(), settings),
                BatchClassifier.class,
                () -> BatchClassifier.open(model.bytes().value(), settings));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType input = dataset.schema();
        StructType output = transformSchema(input);
        SessionSettings settings =
                SessionSettings.of(Device.parse(getDevice())).withIntraOpThreads(getThreadsPerTask());
        ModelBroadcasts.Shipped model =
                ModelBroadcasts.of(dataset.sparkSession().sparkContext(), getModelPath());
        int in = input.fieldIndex(getInputCol());
        int path = Arrays.asList(input.fieldNames()).contains(getPathCol())
                        && input.apply(getPathCol()).dataType().sameType(DataTypes.StringType)
                ? input.fieldIndex(getPathCol())
                : -1;
        ClassifyPartition f = new ClassifyPartition(
                model.bytes(),
                model.sha256(),
                settings,
                in,
                SparkImages.isImageStruct(input.apply(in).dataType()),
                path,
                getBatchSize(),
                getTopKCol().isEmpty() ? 0 : getTopK(),
                !getLogitsCol().isEmpty());
        return dataset.toDF().mapPartitions(f, Encoders.row(output));
    }
}
