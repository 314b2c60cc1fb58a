package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import jcnn.core.Engine;
import jcnn.eval.report.TestResults;
import jcnn.training.History;
import jcnn.training.Recipe;
import jcnn.training.Trainer;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Conv2d;
import jcnn.training.nn.Flatten;
import jcnn.training.nn.Linear;
import jcnn.training.nn.MaxPool2d;
import jcnn.training.nn.ReLU;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour input end to end on a tiny synthetic set: 3x8x8 images whose class is the colour of a square on a
 * noisy background (red, green or blue), a small CNN made for three channels, the trainer with augmentation, the
 * evaluation, report.txt and report.html, whose gallery holds RGB images with the square's colour.
 */
class ColourPipelineTest {

    private static final int ROWS = 8, COLS = 8, PLANE = ROWS * COLS;
    private static final DatasetSpec COLOURS = new DatasetSpec("colours", URI.create("http://localhost.invalid/"),
            DatasetSpec.Format.CIFAR_BINARY, 3, ROWS, COLS, 3, List.of("red", "green", "blue"), Map.of());

    @TempDir
    Path root;

    /** n images: grey noise, and a 4x4 square at a random place in full class colour (channel = label). */
    private static Dataset squares(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 3 * PLANE];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(3);
            labels[i] = (byte) label;
            for (int k = 0; k < PLANE; k++) {
                int grey = 60 + r.nextInt(40);
                for (int c = 0; c < 3; c++) {
                    pixels[(3 * i + c) * PLANE + k] = (byte) grey;
                }
            }
            int y0 = r.nextInt(ROWS - 3), x0 = r.nextInt(COLS - 3);
            for (int y = y0; y < y0 + 4; y++) {
                for (int x = x0; x < x0 + 4; x++) {
                    for (int c = 0; c < 3; c++) {
                        pixels[(3 * i + c) * PLANE + y * COLS + x] = (byte) (c == label ? 250 : 10);
                    }
                }
            }
        }
        return Dataset.of(pixels, labels, 3, ROWS, COLS, "squares");
    }

    @Test
    @SuppressWarnings("try")
    void aColourDataSetTrainsEvaluatesAndIsDrawnInColour() throws Exception {
        Dataset train = squares(300, 1), test = squares(90, 2);
        assertEquals(3, train.channels());
        SplittableRandom rng = new SplittableRandom(5);
        Sequential model = new Sequential()
                .add("conv1", new Conv2d(3, 6, 3, 1, 1, rng)).add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(2, 2)).add("flatten", new Flatten())
                .add("fc", new Linear(6 * 4 * 4, 3, rng));
        Recipe recipe = Recipe.builder().epochs(6).batch(20).lr(0.05).seed(3).validationFraction(0.2)
                .flip(true).build();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TestResults results;
        try (Engine.Scope scope = Engine.using(Engine.kernels())) {
            Dataset.Split split = Trainer.split(train, recipe);
            assertEquals(3, split.validation().channels());
            History history = new Trainer(model, recipe).fit(split.train(), split.validation());
            assertEquals(6, history.epochs().size());
            results = TestReport.evaluate(model, test, COLOURS, new PrintStream(printed, true, StandardCharsets.UTF_8));
        }
        assertTrue(results.accuracy() > 0.9, "accuracy " + results.accuracy());
        assertEquals(List.of("red", "green", "blue"), results.classNames());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("green"), printed.toString(StandardCharsets.UTF_8));

        TestReport.write(root, "colour squares", results, Map.of(), Engine.kernels(), List.of(), null, COLOURS);
        String html = Files.readString(root.resolve("report.html"));
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([^\"]+)\" width=\"24\" height=\"24\""
                + " alt=\"test image (\\d+): (\\w+), predicted (\\w+)\"").matcher(html);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            int index = Integer.parseInt(m.group(2));
            int label = test.label(index);
            assertEquals(COLOURS.classNames().get(label), m.group(3));
            assertEquals(COLS, png.getWidth());
            assertEquals(3, png.getColorModel().getNumColorComponents(), "an RGB image");
            // the brightest pixel of the class's own channel is the square's: 250 there, 10 in the others
            int best = 0;
            for (int y = 0; y < ROWS; y++) {
                for (int x = 0; x < COLS; x++) {
                    int rgb = png.getRGB(x, y), own = rgb >> (8 * (2 - label)) & 0xFF;
                    best = Math.max(best, own);
                    if (own == 250) {
                        for (int c = 0; c < 3; c++) {
                            assertEquals(c == label ? 250 : 10, rgb >> (8 * (2 - c)) & 0xFF, "image " + index);
                        }
                    }
                }
            }
            assertEquals(250, best, "image " + index + " shows its square");
            checked.add(m.group(2));
        }
        assertTrue(checked.size() >= 9, "the gallery's correct samples, 3 per class: " + checked);
    }
}
