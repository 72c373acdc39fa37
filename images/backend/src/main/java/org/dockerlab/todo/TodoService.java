package org.dockerlab.todo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The business logic (a Spring {@code @Service}): validates input and keeps the repository in step. */
public class TodoService {

    public static final int MAX_TITLE_LENGTH = 200;

    private final TodoRepository repository;
    private final List<Todo> todos = new ArrayList<>();
    private long nextId;

    public TodoService(TodoRepository repository) {
        this.repository = repository;
        TodoRepository.Snapshot snapshot = repository.load();
        todos.addAll(snapshot.todos());
        nextId = snapshot.nextId();
    }

    /** Thrown for input the client must fix (HTTP 400). */
    public static final class InvalidTodoException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidTodoException(String message) {
            super(message);
        }
    }

    public synchronized List<Todo> findAll() {
        return List.copyOf(todos);
    }

    public synchronized Optional<Todo> findById(long id) {
        return todos.stream().filter(t -> t.id() == id).findFirst();
    }

    public synchronized Todo create(String title) {
        String clean = title == null ? "" : title.strip();
        if (clean.isEmpty()) {
            throw new InvalidTodoException("title is required");
        }
        if (clean.length() > MAX_TITLE_LENGTH) {
            throw new InvalidTodoException("title is longer than " + MAX_TITLE_LENGTH + " characters");
        }
        Todo todo = new Todo(nextId, clean, false);
        todos.add(todo);
        nextId++;
        persist(() -> {
            todos.remove(todo);
            nextId--;
        });
        return todo;
    }

    /** Sets the done flag; empty when there is no such todo. */
    public synchronized Optional<Todo> setDone(long id, boolean done) {
        for (int i = 0; i < todos.size(); i++) {
            Todo old = todos.get(i);
            if (old.id() == id) {
                Todo updated = old.withDone(done);
                int index = i;
                todos.set(index, updated);
                persist(() -> todos.set(index, old));
                return Optional.of(updated);
            }
        }
        return Optional.empty();
    }

    /** Removes a todo; false when there is no such todo. */
    public synchronized boolean delete(long id) {
        for (int i = 0; i < todos.size(); i++) {
            Todo old = todos.get(i);
            if (old.id() == id) {
                todos.remove(i);
                int index = i;
                persist(() -> todos.add(index, old));
                return true;
            }
        }
        return false;
    }

    public synchronized int count() {
        return todos.size();
    }

    /** Saves; if the disk refuses, undoes the in-memory change so memory and file agree. */
    private void persist(Runnable undo) {
        try {
            repository.save(todos, nextId);
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }
}
