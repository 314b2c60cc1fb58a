package jcnn.exercises;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * How the exercises' tests reach a student's class: by name, so that a class that is missing (deleted, not yet
 * written) or unfinished (still throwing the starting point's UnsupportedOperationException) fails the one
 * exercise's test with a message naming its page, instead of breaking the build or ending in a bare stack trace.
 */
final class Exercise {

    final int number;
    final String page;
    final Class<?> type;

    private Exercise(int number, String page, Class<?> type) {
        this.number = number;
        this.page = page;
        this.type = type;
    }

    /** The class {@code jcnn.exercises.simpleName}, or a failure that says where the exercise is explained. */
    static Exercise load(int number, String page, String simpleName) {
        String name = Exercise.class.getPackageName() + "." + simpleName;
        try {
            return of(number, page, Class.forName(name));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("exercise " + number + ": there is no class " + name + " yet. Start from"
                    + " docs/exercises/start/" + simpleName + ".java (copy it to exercises/src/main/java/jcnn/exercises/)"
                    + " and read " + page);
        }
    }

    /** The exercise checked against {@code type}, a student's class or a starting point. */
    static Exercise of(int number, String page, Class<?> type) {
        return new Exercise(number, page, type);
    }

    /** Calls the public static method {@code name}, turning "not written yet" into a pointer to the page. */
    Object call(String name, Class<?>[] parameters, Object... arguments) {
        Method m;
        try {
            m = type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("exercise " + number + ": " + type.getName() + " has no public static method "
                    + name + " with the parameters of the starting point; see " + page, e);
        }
        try {
            return m.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnsupportedOperationException) {
                throw new AssertionError("exercise " + number + ": " + type.getSimpleName() + "." + name
                        + " is not written yet (" + cause.getMessage() + "); " + page + " explains what it must do",
                        cause);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AssertionError(cause);
        } catch (IllegalAccessException e) {
            throw new AssertionError("exercise " + number + ": " + type.getName() + "." + name + " must be public", e);
        }
    }
}
