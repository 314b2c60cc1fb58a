package jcnn.eval.report;

/**
 * Makes AWT run without a display unless the JVM was told otherwise.
 *
 * <p>Why a class of its own: AWT reads {@code java.awt.headless} once, the first time anything asks
 * {@code GraphicsEnvironment.isHeadless()}, and merely initialising {@code java.awt.Color} does. So every class here
 * that touches AWT calls {@link #ensure()} in its first static initialiser, before its own Color constants. If AWT
 * was already initialised by someone else, setting the property changes nothing, and nothing breaks: drawing into a
 * BufferedImage works either way where a display exists.
 */
final class Headless {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Headless() {
    }

    /** Does nothing itself; calling it runs the static initialiser above, once. */
    static void ensure() {
    }
}
