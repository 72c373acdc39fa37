package org.dockerlab.todo.tests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * A JUnit stand-in in one file: runs every {@code static void test...()} method of the given
 * classes, prints PASS/FAIL per test and a closing "N passed, N failed" line, and exits 1 if any failed.
 */
public final class MiniTest {

    private int passed;
    private int failed;

    public static void main(String[] args) throws ClassNotFoundException {
        MiniTest runner = new MiniTest();
        for (String name : args) {
            runner.run(Class.forName(name));
        }
        System.exit(runner.finish());
    }

    /** Runs all tests of the given classes and exits the JVM: 0 if all passed, 1 otherwise. */
    public static void runAndExit(Class<?>... classes) {
        MiniTest runner = new MiniTest();
        for (Class<?> type : classes) {
            runner.run(type);
        }
        System.exit(runner.finish());
    }

    public void run(Class<?> type) {
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            boolean isTest = method.getName().startsWith("test")
                    && Modifier.isStatic(method.getModifiers())
                    && method.getParameterCount() == 0;
            if (!isTest) {
                continue;
            }
            String name = type.getSimpleName() + "." + method.getName();
            try {
                method.setAccessible(true);
                method.invoke(null);
                passed++;
                System.out.println("PASS " + name);
            } catch (InvocationTargetException e) {
                failed++;
                Throwable cause = e.getCause();
                System.out.println("FAIL " + name + ": " + cause);
                StackTraceElement[] trace = cause.getStackTrace();
                for (int i = 0; i < Math.min(trace.length, 4); i++) {
                    System.out.println("       at " + trace[i]);
                }
            } catch (ReflectiveOperationException e) {
                failed++;
                System.out.println("FAIL " + name + ": cannot call it: " + e);
            }
        }
    }

    public int finish() {
        System.out.println();
        System.out.println(passed + " passed, " + failed + " failed");
        System.out.flush();
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    // ---------------------------------------------------------------- assertions

    public static void assertEquals(Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError("expected <" + expected + "> but was <" + actual + ">");
        }
    }

    public static void assertTrue(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected true: " + what);
        }
    }

    public static void assertFalse(boolean condition, String what) {
        if (condition) {
            throw new AssertionError("expected false: " + what);
        }
    }

    /** A block that is expected to throw. */
    @FunctionalInterface
    public interface Block {
        void run() throws Exception;
    }

    public static <T extends Throwable> T assertThrows(Class<T> type, Block block) {
        try {
            block.run();
        } catch (Throwable thrown) {
            if (type.isInstance(thrown)) {
                return type.cast(thrown);
            }
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + thrown, thrown);
        }
        throw new AssertionError("expected " + type.getSimpleName() + " but nothing was thrown");
    }
}
