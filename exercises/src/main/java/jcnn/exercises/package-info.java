/**
 * The course's exercises, each a page in docs/exercises/ (README.md gives the order): the reference solutions
 * live here, the checks in this module's tests, the student's starting points in docs/exercises/start/.
 *
 * <p>For: a student replaces a class here with its starting point (or deletes it) and works until the exercise's
 * test passes; the tests load the classes by name, so a missing or unfinished one fails that exercise's test with
 * a message naming its page, and never the build. Not for: anything the engine uses; nothing depends on this
 * module, and it sits on top of {@code training} like {@code eval}.
 */
package jcnn.exercises;
