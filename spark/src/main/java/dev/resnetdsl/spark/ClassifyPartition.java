package dev.resnetdsl.spark;

import dev.resnetdsl.runtime.inference.BatchClassifier;
import dev.resnetdsl.runtime.inference.ImagePrediction;
import dev.resnetdsl.runtime.inference.ImageSource;
import dev.resnetdsl.runtime.ort.SessionSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What {@link ImageClassifier} runs on executors, holding nothing but serialisable settings and the broadcast model:
 * the executor's cached classifier for the model's hash (opened from the broadcast bytes only when this JVM has none),
 * then the partition in batches, each row extended with its prediction or its error.
 */
final class ClassifyPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String sha256;
    private final SessionSettings settings;
    private final int inputCol;
    private final boolean imageStruct;
    private final int pathCol;
    private final int batchSize;
    private final int topK;
    private final boolean logits;

    ClassifyPartition(
            Broadcast<byte[]> model,
            String sha256,
            SessionSettings settings,
            int inputCol,
            boolean imageStruct,
            int pathCol,
            int batchSize,
            int topK,
            boolean logits) {
        this.model = model;
        this.sha256 = sha256;
        this.settings = settings;
        this.inputCol = inputCol;
        this.imageStruct = imageStruct;
        this.pathCol = pathCol;
        this.batchSize = batchSize;
        this.topK = topK;
        this.logits = logits;
    }

    /** The cache key: one session per model content, device and thread count in a JVM. */
    static String cacheKey(String sha256, SessionSettings settings) {
        return "classifier:" + sha256 + ":" + settings.device() + ":" + settings.intraOpThreads();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        // model.value() only on a miss: an executor that holds the session never fetches the bytes.
        BatchClassifier classifier = ExecutorCache.get(
                cacheKey(sha256, settings), BatchClassifier.class, () -> BatchClassifier.open(model.value(), settings));
        return Batches.map(rows, batchSize, batch -> classify(classifier, batch));
    }

    private List<Row> classify(BatchClassifier classifier, List<Row> batch) {
        List<ImageSource> sources = new ArrayList<>(batch.size());
        for (Row row : batch) {
            sources.add(source(row));
        }
        List<ImagePrediction> predictions = classifier.classify(sources, Math.max(1, topK));
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(extend(batch.get(i), predictions.get(i)));
        }
        return out;
    }

    private ImageSource source(Row row) {
        String id = pathCol >= 0 && !row.isNullAt(pathCol) ? row.getString(pathCol) : "row";
        if (row.isNullAt(inputCol)) {
            return missing(id);
        }
        return imageStruct
                ? SparkImages.source(row.getStruct(inputCol), id)
                : ImageSource.of(id, (byte[]) row.get(inputCol));
    }

    private static ImageSource missing(String id) {
        return new ImageSource() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public BufferedImage decode() throws IOException {
                throw new IOException(id + ": no image (the input is null)");
            }
        };
    }

    private Row extend(Row row, ImagePrediction p) {
        int extra = 4 + (topK > 0 ? 1 : 0) + (logits ? 1 : 0);
        Object[] values = new Object[row.size() + extra];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        int k = row.size();
        if (p.ok()) {
            ImagePrediction.RankedClass best = p.top().get(0);
            values[k++] = best.index();
            values[k++] = best.label();
            values[k++] = best.probability();
            if (topK > 0) {
                Row[] ranked = new Row[p.top().size()];
                for (int i = 0; i < ranked.length; i++) {
                    ImagePrediction.RankedClass c = p.top().get(i);
                    ranked[i] = RowFactory.create(c.index(), c.label(), c.probability());
                }
                values[k++] = ranked;
            }
            if (logits) {
                float[] raw = p.logits();
                double[] v = new double[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    v[i] = raw[i];
                }
                values[k++] = Vectors.dense(v);
            }
            values[k] = null;
        } else {
            values[values.length - 1] = p.error();
        }
        return RowFactory.create(values);
    }
}
