package org.dockerlab.todo.tests;

/** Runs every test class; the Dockerfile's {@code test} stage calls this. Exit code 1 fails the build. */
public final class AllTests {

    public static void main(String[] args) {
        MiniTest.runAndExit(JsonTest.class, TodoServiceTest.class, TodoControllerTest.class);
    }
}
