package jcnn.training.data;

import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a download shows while it runs, on standard error (standard output stays for results).
 *
 * <p>Two forms, because a bar that redraws itself is right on a terminal and wrong in a log: on a terminal, the
 * maintained {@code me.tongfei:progressbar} bar in bytes; anywhere else (output piped to a file, CI, an IDE
 * console) a few plain lines per file, at 25%, 50%, 75% and the end, so a 26 MB download adds five lines to a log,
 * not hundreds of carriage-return updates. {@code progress=false} keeps the first and last line only: a download
 * is never silent, because it is the one step of a run that may wait on the network.
 */
public interface DownloadProgress {

    /** One file's progress; {@link #advance} as bytes arrive, {@link #close} when the file ended either way. */
    interface Task extends AutoCloseable {
        void advance(long bytes);

        @Override
        void close();
    }

    /** Starts showing one file; {@code totalBytes} is -1 when the server did not say. */
    Task start(String fileName, URI uri, long totalBytes);

    /**
     * The form for this console: the bar on a terminal unless {@code progress} is false, lines elsewhere (only
     * the first and last when {@code progress} is false); null means the default, a bar only on a terminal.
     */
    static DownloadProgress forConsole(Boolean progress) {
        boolean terminal = System.console() != null;
        if (terminal && !Boolean.FALSE.equals(progress)) {
            return bar();
        }
        return lines(System.err, Boolean.FALSE.equals(progress) ? 100 : 25);
    }

    /** A line when the file starts, then at every {@code stepPercent} and when it ends: for logs. */
    static DownloadProgress lines(PrintStream out, int stepPercent) {
        return (fileName, uri, totalBytes) -> {
            out.println("downloading " + fileName + (totalBytes >= 0 ? " (" + MemoryBudget.size(totalBytes) + ")"
                    : "") + " from " + uri);
            return new Task() {
                private long done;
                private int shown;

                @Override
                public void advance(long bytes) {
                    done += bytes;
                    if (totalBytes > 0) {
                        int percent = (int) Math.min(100, done * 100 / totalBytes);
                        int step = percent / stepPercent * stepPercent;
                        if (step > shown && step < 100) {
                            shown = step;
                            out.println(String.format(Locale.ROOT, "  %s: %d%% (%s)", fileName, step,
                                    MemoryBudget.size(done)));
                        }
                    }
                }

                @Override
                public void close() {
                    out.println("  " + fileName + ": " + MemoryBudget.size(done) + " received");
                }
            };
        };
    }

    /** The terminal bar, in bytes (as kB/MB), redrawn in place. */
    static DownloadProgress bar() {
        return (fileName, uri, totalBytes) -> {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName("download " + fileName)
                    .setInitialMax(Math.max(totalBytes, 0))
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setUnit(" MB", 1_000_000)
                    .showSpeed()
                    .build();
            return new Task() {
                @Override
                public void advance(long bytes) {
                    bar.stepBy(bytes);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }
}
