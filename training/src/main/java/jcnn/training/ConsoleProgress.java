package jcnn.training;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The per-epoch progress bar on the terminal, drawn by the maintained {@code me.tongfei:progressbar} library
 * (on standard error, so standard output stays clean for results). It is off unless a person is watching:
 * {@link #enabledByDefault()} is false when there is no console (tests, CI, output piped to a file) and when
 * {@code -Dprogress=false} says so. When off, every method does nothing.
 */
final class ConsoleProgress implements AutoCloseable {

    /** The system property that turns the bar off ({@code false}) or on ({@code true}) whatever the console. */
    static final String PROPERTY = "progress";

    private final ProgressBar bar;

    private ConsoleProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** True on an interactive terminal, unless {@code -Dprogress=false}; {@code -Dprogress=true} forces it on. */
    static boolean enabledByDefault() {
        String flag = System.getProperty(PROPERTY, "").trim();
        if (flag.equalsIgnoreCase("false")) {
            return false;
        }
        return flag.equalsIgnoreCase("true") || System.console() != null;
    }

    /** A bar for one epoch of {@code steps} steps, or a silent stand-in when {@code enabled} is false. */
    static ConsoleProgress start(boolean enabled, String task, int steps) {
        if (!enabled) {
            return new ConsoleProgress(null);
        }
        return new ConsoleProgress(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setUnit(" steps", 1)
                .build());
    }

    /** One more step done; the running loss and accuracy go in the bar's message. */
    void step(double loss, double accuracy) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f", loss, accuracy));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
