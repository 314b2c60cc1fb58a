package jcnn.core.testing;

import jcnn.core.Engine;
import jcnn.kernels.KernelProvider;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs every test of a class with the scalar reference kernels current on the test's thread
 * ({@code Engine.using(KernelProvider.scalar())} before each test, closed after it), so that results do not depend
 * on the host's vector width or on the default a system property picked:
 * <pre>{@code
 * @ExtendWith(ScalarEngineExtension.class)
 * class TrainerTest { ... }
 * }</pre>
 * A test that wants other kernels for a block opens its own {@code Engine.using} scope inside; scopes nest.
 */
public final class ScalarEngineExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ScalarEngineExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("scope", Engine.using(KernelProvider.scalar()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Engine.Scope scope = context.getStore(NAMESPACE).remove("scope", Engine.Scope.class);
        if (scope != null) {
            scope.close();
        }
    }
}
