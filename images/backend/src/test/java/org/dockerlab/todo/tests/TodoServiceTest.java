package org.dockerlab.todo.tests;

import org.dockerlab.todo.*;

import static org.dockerlab.todo.tests.MiniTest.assertEquals;
import static org.dockerlab.todo.tests.MiniTest.assertFalse;
import static org.dockerlab.todo.tests.MiniTest.assertThrows;
import static org.dockerlab.todo.tests.MiniTest.assertTrue;

import java.nio.file.Files;
import java.util.List;

/** The service and its file repository: the rules and what survives a restart. */
public final class TodoServiceTest {

    public static void main(String[] args) {
        MiniTest.runAndExit(TodoServiceTest.class);
    }

    static void testStartsEmpty() {
        try (TestFiles files = new TestFiles()) {
            TodoService service = new TodoService(new TodoRepository(files.dir));
            assertEquals(List.of(), service.findAll());
        }
    }

    static void testCreateGivesIncreasingIdsAndTrimsTitle() {
        try (TestFiles files = new TestFiles()) {
            TodoService service = new TodoService(new TodoRepository(files.dir));
            Todo first = service.create("  Write a Dockerfile ");
            Todo second = service.create("Build the image");
            assertEquals(new Todo(1, "Write a Dockerfile", false), first);
            assertEquals(2L, second.id());
            assertEquals(List.of(first, second), service.findAll());
        }
    }

    static void testRejectsBlankAndOverlongTitles() {
        try (TestFiles files = new TestFiles()) {
            TodoService service = new TodoService(new TodoRepository(files.dir));
            assertThrows(TodoService.InvalidTodoException.class, () -> service.create("   "));
            assertThrows(TodoService.InvalidTodoException.class, () -> service.create(null));
            assertThrows(TodoService.InvalidTodoException.class,
                    () -> service.create("x".repeat(TodoService.MAX_TITLE_LENGTH + 1)));
            assertEquals(0, service.count());
        }
    }

    static void testDeleteRemovesOnlyKnownIds() {
        try (TestFiles files = new TestFiles()) {
            TodoService service = new TodoService(new TodoRepository(files.dir));
            Todo todo = service.create("Run a container");
            assertFalse(service.delete(42), "deleting an unknown id");
            assertTrue(service.delete(todo.id()), "deleting a known id");
            assertFalse(service.delete(todo.id()), "deleting it twice");
            assertEquals(0, service.count());
        }
    }

    static void testSetDone() {
        try (TestFiles files = new TestFiles()) {
            TodoService service = new TodoService(new TodoRepository(files.dir));
            Todo todo = service.create("Push to a registry");
            assertEquals(true, service.setDone(todo.id(), true).orElseThrow().done());
            assertTrue(service.setDone(99, true).isEmpty(), "unknown id gives empty");
        }
    }

    static void testTodosSurviveARestart() {
        try (TestFiles files = new TestFiles()) {
            TodoService before = new TodoService(new TodoRepository(files.dir));
            before.create("Mount a volume");
            Todo kept = before.create("Replace the container");
            before.delete(1);
            TodoService after = new TodoService(new TodoRepository(files.dir));
            assertEquals(List.of(kept), after.findAll());
            assertEquals(3L, after.create("Next").id());
        }
    }

    static void testSaveLeavesNoTempFiles() throws Exception {
        try (TestFiles files = new TestFiles()) {
            TodoService service = new TodoService(new TodoRepository(files.dir));
            service.create("One");
            service.create("Two");
            try (var listing = Files.list(files.dir)) {
                assertEquals(List.of(TodoRepository.FILE_NAME),
                        listing.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    static void testFailedSaveKeepsMemoryAndFileInStep() throws Exception {
        try (TestFiles files = new TestFiles()) {
            java.nio.file.Path dataDir = files.dir.resolve("data");
            TodoService service = new TodoService(new TodoRepository(dataDir));
            service.create("saved");
            // Replace the data folder by a plain file: every later save fails.
            Files.delete(dataDir.resolve(TodoRepository.FILE_NAME));
            Files.delete(dataDir);
            Files.writeString(dataDir, "not a folder");
            assertThrows(RuntimeException.class, () -> service.create("will not be saved"));
            assertThrows(RuntimeException.class, () -> service.delete(1));
            assertEquals(1, service.count());
            assertEquals("saved", service.findAll().get(0).title());
        }
    }
}
