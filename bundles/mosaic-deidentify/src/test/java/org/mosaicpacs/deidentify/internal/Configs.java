package org.mosaicpacs.deidentify.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;

/** Typed configurations as DS would make them, reflective calls of DS bind methods, and in-memory Derby databases. */
final class Configs {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Configs() {
    }

    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (values.containsKey(name)) {
                return values.get(name);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (name) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName();
                default -> throw new IllegalStateException("no value for " + name);
            };
        });
    }

    /** Calls a (package-private) DS bind method of another bundle's component, as SCR does. */
    static void bind(Object component, String method, Class<?> type, Object service) throws Exception {
        Method m = component.getClass().getDeclaredMethod(method, type);
        m.setAccessible(true);
        m.invoke(component, service);
    }

    static EmbeddedDataSource memoryDatabase(String name) {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:" + name + DATABASES.incrementAndGet());
        ds.setCreateDatabase("create");
        return ds;
    }
}
