package org.dockerlab.todo;

import java.util.LinkedHashMap;
import java.util.Map;

/** One todo item: the entity, like a Spring Data {@code @Entity} but immutable. */
public record Todo(long id, String title, boolean done) {

    public Todo {
        if (title == null) {
            throw new IllegalArgumentException("title is required");
        }
    }

    /** Returns a copy with a different {@code done} flag. */
    public Todo withDone(boolean newDone) {
        return new Todo(id, title, newDone);
    }

    /** JSON shape: {"id":1,"title":"...","done":false}, keys in that order. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("title", title);
        json.put("done", done);
        return json;
    }

    /** Reads the shape written by {@link #toJson()}. */
    public static Todo fromJson(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a todo must be a JSON object");
        }
        Object id = map.get("id");
        Object title = map.get("title");
        Object done = map.get("done");
        if (!(id instanceof Number number) || !(title instanceof String text)) {
            throw new IllegalArgumentException("a todo needs a numeric id and a string title");
        }
        return new Todo(number.longValue(), text, Boolean.TRUE.equals(done));
    }
}
