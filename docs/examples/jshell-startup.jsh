// The imports of ./jshell.sh's session (docs/jshell.md), after JShell's own default ones.
import jcnn.core.*;
import jcnn.kernels.*;
import jcnn.training.*;
import jcnn.training.nn.*;
import jcnn.training.optim.*;
import jcnn.training.data.*;
import java.util.SplittableRandom;
