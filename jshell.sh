#!/usr/bin/env bash
# One command from a clone to a JShell with jcnn on the class path and the Vector API module added:
#
#     ./jshell.sh                 # then: var x = Tensor.of(new float[] {1, 2, 3}, 3)
#
# It compiles what changed (mvn -q compile, the same reactor build as `mvn exec:java`), so the session runs the
# modules' own target/classes, never jars installed earlier; the first run downloads the dependencies and takes a
# minute, later ones start in seconds. The incubator module is added twice because JShell is two JVMs: the one
# that compiles the snippets (--add-modules) and the one that runs them (-R--add-modules=...). Without it jcnn
# still works, on the scalar kernels. docs/jshell.md walks through a session; extra arguments go to jshell
# (e.g. a .jsh file to run). The imports come from docs/examples/jshell-startup.jsh.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
cp_file=eval/target/jshell.classpath
if [ ! -f "$cp_file" ] || [ -n "$(find pom.xml kernels core training eval -path '*/target' -prune -o \
        \( -name '*.java' -o -name pom.xml \) -newer "$cp_file" -print -quit)" ]; then
    echo "compiling jcnn (mvn -q compile) ..." >&2
    mvn -q compile dependency:build-classpath -pl eval -am -Dmdep.includeScope=runtime \
        -Dmdep.outputFile=target/jshell.classpath
fi
# eval's runtime class path: the lower modules' target/classes (the reactor resolves them there) and the jars
cp="$root/eval/target/classes:$(cat "$cp_file")"
jshell_bin=jshell
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jshell" ]; then
    jshell_bin="$JAVA_HOME/bin/jshell"
fi
exec "$jshell_bin" --add-modules jdk.incubator.vector -R--add-modules=jdk.incubator.vector \
    --class-path "$cp" --startup DEFAULT --startup "$root/docs/examples/jshell-startup.jsh" "$@"
