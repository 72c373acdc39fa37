package org.dockerlab.todo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps todos in one JSON file, {@code <dataDir>/todos.json} (a Spring Data repository stand-in).
 *
 * <p>Every save writes a temporary file in the same folder and renames it over the old one, so a
 * container killed mid-write never leaves half a file behind. Mount a volume on the data folder
 * and the todos outlive the container.
 */
public class TodoRepository {

    public static final String FILE_NAME = "todos.json";

    private final Path dataDir;
    private final Path file;

    public TodoRepository(Path dataDir) {
        this.dataDir = dataDir;
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** What the file holds: the todos and the next id to hand out. */
    public record Snapshot(List<Todo> todos, long nextId) {
    }

    /** Reads the file; an absent file is an empty list. */
    public Snapshot load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Snapshot(List.of(), 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Object parsed = Json.parse(text);
        if (!(parsed instanceof Map<?, ?> root) || !(root.get("todos") instanceof List<?> items)) {
            throw new IllegalStateException(file + " is not a todos file");
        }
        List<Todo> todos = new ArrayList<>();
        long maxId = 0;
        for (Object item : items) {
            Todo todo = Todo.fromJson(item);
            todos.add(todo);
            maxId = Math.max(maxId, todo.id());
        }
        long nextId = root.get("nextId") instanceof Number n ? n.longValue() : maxId + 1;
        return new Snapshot(todos, Math.max(nextId, maxId + 1));
    }

    /** rw-r--r--: other containers and the host may read the file (temp files start as rw-------). */
    private static void makeReadable(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
    }

    /** Writes all todos atomically (temp file + rename). */
    public void save(List<Todo> todos, long nextId) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("nextId", nextId);
        List<Object> items = new ArrayList<>();
        for (Todo todo : todos) {
            items.add(todo.toJson());
        }
        root.put("todos", items);
        byte[] bytes = (Json.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, ".todos-", ".tmp");
            try {
                Files.write(tmp, bytes);
                makeReadable(tmp);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
