package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import jcnn.training.Recipe;
import jcnn.training.data.DatasetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door: every setting name is checked (a typo is an error with a suggestion, Maven's and the JVM's own
 * properties are left alone), settings a mode would ignore and settings that contradict are errors, all before
 * anything is written; --help lists every setting, and the README's table is the same list.
 */
class SettingsTest {

    @TempDir
    Path tmp;

    private Properties settings(String... keyValues) {
        return MainSettings.inRunFolder(tmp, keyValues);
    }

    private String fails(Properties p, String... args) {
        Exception e = assertThrows(Exception.class,
                () -> new Main(p, List.of(args), new PrintStream(new ByteArrayOutputStream())).run());
        assertTrue(e instanceof IllegalArgumentException || e instanceof IOException, e.toString());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing may be written after " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        System.out.println("rejected: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aMisspelledSettingIsAnErrorWithASuggestion() {
        assertEquals("unknown setting 'epoch': did you mean 'epochs'? (--help lists them all)",
                fails(settings("epoch", "1", "limit", "6000")));
        assertTrue(fails(settings("batchsize", "5")).contains("did you mean 'batch'?"));
        assertTrue(fails(settings("weightdecay", "0")).contains("did you mean 'weightDecay'?"));
        assertTrue(fails(settings("vector.bit", "256")).contains("did you mean 'vector.bits'?"));
        assertTrue(fails(settings("jcnn.downloads", "false")).contains("did you mean 'jcnn.download'?"));
        assertEquals("unknown setting '--epoch': did you mean '--epochs'? (--help lists them all)",
                fails(settings(), "--epoch", "1"));
        assertTrue(fails(settings(), "epochs").startsWith("unexpected argument 'epochs'"));
    }

    @Test
    void mavensAndTheJvmsOwnPropertiesAreNotMistakenForOurs() throws IOException {
        Properties p = settings("help", "true", "java.home", "/usr/lib/jvm/x", "maven.repo.local", "/m2",
                "test", "MainTest", "skipTests", "true", "exec.args", "--help", "os.name", "Linux",
                "library.jansi.path", "/x", "classworlds.conf", "/y", "style.color", "always", "file.encoding",
                "UTF-8", "sun.java.command", "org.codehaus.plexus.classworlds.launcher.Launcher",
                "stdout.encoding", "UTF-8", "user.language", "en", "surefire.test.class.path", "/z",
                "maven.multiModuleProjectDirectory", "/w", "jdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK", "2");
        assertTrue(Settings.parse(p).help());
        for (String name : p.stringPropertyNames()) {
            if (Setting.named(name) == null) {
                assertEquals(null, Setting.nearMiss(name), name);
            }
        }
    }

    @Test
    void helpListsEverySettingAndWritesNothing() throws IOException {
        for (List<String> args : List.of(List.of("--help"), List.of("-h"))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new Main(settings(), args, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
            String help = bytes.toString(StandardCharsets.UTF_8);
            for (Setting s : Setting.ALL) {
                assertTrue(help.contains("  " + s.name() + " "), s.name() + " missing from --help");
                assertTrue(help.contains(s.meaning()), s.meaning());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Main(settings("help", "true"), new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        assertEquals(Setting.help(), bytes.toString(StandardCharsets.UTF_8));
        System.out.print(Setting.help());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void theReadmeTableIsTheSettingsList() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String begin = "<!-- settings table: generated from eval's Setting.ALL, checked by SettingsTest -->\n";
        int from = readme.indexOf(begin);
        assertTrue(from >= 0, "README.md lacks the marker line " + begin);
        int start = from + begin.length();
        int end = readme.indexOf("\n\n", start);
        Files.writeString(Path.of("target", "settings-table.md"), Setting.markdownTable(), StandardCharsets.UTF_8);
        assertEquals(Setting.markdownTable(), readme.substring(start, end + 1),
                "README.md's settings table differs from Setting.ALL: paste eval/target/settings-table.md");
    }

    @Test
    void aSettingTheModeIgnoresIsAnError() throws IOException {
        Path weights = Files.writeString(tmp.resolve("w.safetensors"), "x");
        assertTrue(fails(settings("testLimit", "100")).startsWith("invalid testLimit=100: testLimit is read only"
                + " in compare mode, and this run is train"));
        assertTrue(fails(settings("grid", "true", "batch", "32")).startsWith("invalid batch=32: grid=true sets"
                + " batch itself"));
        assertTrue(fails(settings("weights", weights.toString(), "epochs", "3")).startsWith("invalid epochs=3:"
                + " weights= evaluates without training"));
        assertTrue(fails(settings("compare", "true", "nanPolicy", "skip")).startsWith("invalid nanPolicy=skip"));
        assertTrue(fails(settings("kernel", "scalar", "vector.bits", "256")).startsWith("invalid vector.bits=256:"
                + " kernel=scalar has no vector width"));
    }

    /** tta= mirrors the test in evaluate mode as in a training run (and its validation); compare mode refuses it. */
    @Test
    void testTimeAugmentationReachesTrainingAndEvaluation() throws IOException {
        Path weights = Files.writeString(tmp.resolve("w.safetensors"), "x");
        assertTrue(((EvaluateMode) Settings.parse(settings("weights", weights.toString(), "tta", "true")).mode())
                .tta());
        assertFalse(((EvaluateMode) Settings.parse(settings("weights", weights.toString())).mode()).tta());
        assertTrue(((TrainMode) Settings.parse(settings("tta", "true")).mode()).recipe().tta());
        assertFalse(((TrainMode) Settings.parse(settings()).mode()).recipe().tta());
        assertTrue(fails(settings("compare", "true", "tta", "true")).startsWith("invalid tta=true: tta is read only"
                + " in train, evaluate, grid mode"));
    }

    @Test
    void anUnknownModelOrOneTheModeCannotUseIsAnError() throws IOException {
        assertEquals("invalid model=resnet: expected one of seed, deep", fails(settings("model", "resnet")));
        assertEquals("invalid model=deep: grid mode runs the seed CNN only (model= is for training and"
                + " evaluation); leave it out", fails(settings("grid", "true", "model", "deep")));
        assertTrue(fails(settings("compare", "true", "model", "deep")).startsWith("invalid model=deep"));
        assertEquals("invalid model=: expected one of seed, deep", fails(settings("model", "")));
    }

    /** recipe=deep trains the deep model unless model= names another; grid and compare refuse it. */
    @Test
    void theDeepRecipeSelectsTheDeepModel() throws IOException {
        TrainMode deep = (TrainMode) Settings.parse(settings("recipe", "deep")).mode();
        assertEquals("deep", deep.model());
        assertEquals(Recipe.named("deep"), deep.recipe());
        assertEquals("seed", ((TrainMode) Settings.parse(settings("recipe", "deep", "model", "seed")).mode()).model());
        assertEquals("seed", ((TrainMode) Settings.parse(settings("recipe", "best")).mode()).model());
        assertEquals("deep", ((TrainMode) Settings.parse(settings(), List.of("--recipe", "deep", "--epochs", "2"))
                .mode()).model());
        assertEquals("invalid recipe=deep: it trains the deep model, and grid mode runs the seed CNN only",
                fails(settings("grid", "true", "recipe", "deep")));
        assertTrue(fails(settings("compare", "true", "recipe", "deep")).startsWith("invalid recipe=deep: it trains"));
    }

    /**
     * The data set is checked against the model the run selects, not always the seed CNN: the deep model names
     * itself when CIFAR-10's 3x32x32 do not fit its first convolution, and takes Fashion-MNIST.
     */
    @Test
    void theDataSetIsCheckedAgainstTheSelectedModel() {
        String deep = fails(settings("dataset", "cifar-10", "model", "deep"));
        assertTrue(deep.startsWith("invalid dataset=cifar-10: its images are 3x32x32 (channels x rows x cols) and"
                + " the deep model takes 1x28x28 (layer 'conv1': "), deep);
        assertTrue(fails(settings("dataset", "cifar-10", "recipe", "deep")).contains(" the deep model takes "));
        assertTrue(fails(settings("dataset", "cifar-10")).contains(" the seed CNN takes "));
        Properties p = settings("dataset", "mnist");
        assertEquals(DatasetSpec.named("mnist"), Settings.dataset(p, "deep"));
        assertEquals(DatasetSpec.named("mnist"), Settings.dataset(p, "seed"));
    }

    @Test
    void contradictingModesAndEmptyValuesAreErrors() throws IOException {
        Path weights = Files.writeString(tmp.resolve("w.safetensors"), "x");
        Path run = Files.createDirectories(tmp.resolve("earlier"));
        assertTrue(fails(settings("compare", "true", "resume", run.toString())).startsWith("invalid resume="));
        assertTrue(fails(settings("grid", "true", "resume", run.toString())).startsWith("invalid resume="));
        assertTrue(fails(settings("grid", "true", "weights", weights.toString())).startsWith("invalid grid=true:"));
        assertEquals("invalid kernel=: expected one of scalar, vector", fails(settings("kernel", "")));
        assertEquals("invalid data=: expected a path", fails(settings("data", " ")));
        assertTrue(fails(settings(), "--kernel").startsWith("invalid --kernel: expected a value"));
    }

    @Test
    void sizesThatLeaveNothingToTrainOnAreErrors() {
        assertEquals("invalid limit=70000: the training set has 60000 images (limit=0 uses all of them)",
                fails(settings("limit", "70000")));
        assertEquals("invalid batch=200: larger than the 80 training images (100 used, 20 held out for"
                + " validation)", fails(settings("limit", "100", "batch", "200")));
        assertTrue(fails(settings("limit", "3", "validation", "0.1")).startsWith("invalid validation=0.1: it"
                + " holds out no image of the 3 used"));
        assertTrue(fails(settings("limit", "1", "validation", "0.6", "batch", "1"))
                .startsWith("invalid validation=0.6: it leaves no training image"));
        assertTrue(fails(settings("grid", "true", "validation", "0", "epochs", "1"))
                .startsWith("invalid validation=0.0: grid=true ranks"));
    }

    @Test
    void aWholeNumberBeyondTheRangeSaysTheRange() throws IOException {
        // Issue 15, item 9: epochs=99999999999 said only "expected an integer".
        assertEquals("invalid epochs=99999999999: expected an integer (>= 1), and 99999999999 is beyond the 32-bit"
                + " range, at most 2147483647", fails(settings("epochs", "99999999999")));
        assertEquals("invalid batch=-99999999999: expected an integer (>= 1, at most the training images), and"
                + " -99999999999 is beyond the 32-bit range, at least -2147483648",
                fails(settings("batch", "-99999999999")));
        assertTrue(fails(settings("seed", "99999999999999999999")).endsWith("beyond the 64-bit range, at most "
                + Long.MAX_VALUE));
        assertEquals(99_999_999_999L, ((TrainMode) Settings.parse(settings("seed", "99999999999")).mode()).recipe()
                .seed(), "a seed is a long");
        assertTrue(fails(settings("epochs", "many")).startsWith("invalid epochs=many: expected an integer"));
    }

    @Test
    void commandLineArgumentsAreTheSameSettings() throws IOException {
        Settings s = Settings.parse(settings(), List.of("--kernel", "scalar", "--epochs=2", "--nesterov", "false",
                "--limit", "640"));
        TrainMode train = (TrainMode) s.mode();
        assertEquals(2, train.recipe().epochs());
        assertEquals(640, train.recipe().limit());
        assertFalse(train.recipe().nesterov());
        assertEquals("scalar", s.kernels().name());
        assertTrue(Settings.parse(settings(), List.of("--grid", "--epochs", "1")).mode() instanceof GridMode);
        assertTrue(Settings.parse(settings("epochs", "9"), List.of("--epochs", "2")).mode() instanceof TrainMode);
        assertEquals(2, ((TrainMode) Settings.parse(settings("epochs", "9"), List.of("--epochs", "2")).mode())
                .recipe().epochs(), "arguments win over system properties");
        // Every mode takes the settings of all modes as arguments, compare mode's progress bar included.
        Settings compare = Settings.parse(settings(), List.of("--compare", "--progress", "false", "--threads", "1"));
        assertTrue(compare.mode() instanceof CompareMode);
        assertEquals(Boolean.FALSE, compare.progress());
        assertEquals(1, compare.kernels().threads());
        assertEquals(Boolean.TRUE, Settings.parse(settings(), List.of("--weights",
                MainSettings.seedWeights("with-optimisation-OptimizedModel.h5").toString(),
                "--progress")).progress());
    }
}
