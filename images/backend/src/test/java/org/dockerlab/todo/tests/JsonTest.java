package org.dockerlab.todo.tests;

import org.dockerlab.todo.*;

import static org.dockerlab.todo.tests.MiniTest.assertEquals;
import static org.dockerlab.todo.tests.MiniTest.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hand-written JSON encoder and decoder. */
public final class JsonTest {

    public static void main(String[] args) {
        MiniTest.runAndExit(JsonTest.class);
    }

    static void testWritesTodoWithKeysInOrder() {
        assertEquals("{\"id\":1,\"title\":\"Learn Docker\",\"done\":false}",
                Json.write(new Todo(1, "Learn Docker", false)));
    }

    static void testWritesListsAndNesting() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", List.of(1, true));
        map.put("b", null);
        assertEquals("{\"a\":[1,true],\"b\":null}", Json.write(map));
        assertEquals("[]", Json.write(List.of()));
    }

    static void testEscapesStrings() {
        assertEquals("\"say \\\"hi\\\"\\n\\\\ \\u0001\"", Json.write("say \"hi\"\n\\ \u0001"));
    }

    static void testParsesObject() {
        Object parsed = Json.parse(" { \"title\" : \"Ship it\", \"n\": -12, \"x\": 1.5e2, \"ok\": true } ");
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertEquals("Ship it", map.get("title"));
        assertEquals(-12L, map.get("n"));
        assertEquals(150.0, map.get("x"));
        assertEquals(Boolean.TRUE, map.get("ok"));
    }

    static void testParsesEscapesAndUnicode() {
        assertEquals("caf\u00e9 \"q\" \n/ \uD83D\uDC33", Json.parse("\"caf\\u00e9 \\\"q\\\" \\n\\/ \uD83D\uDC33\""));
    }

    static void testRoundTripsUnicodeTitle() {
        String title = "도커 배우기 \uD83D\uDC33";
        Object back = Json.parse(Json.write(Map.of("title", title)));
        assertEquals(title, ((Map<?, ?>) back).get("title"));
    }

    static void testParsesArrays() {
        assertEquals(List.of(1L, "two", List.of()), Json.parse("[1, \"two\", []]"));
    }

    static void testRejectsBrokenJson() {
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"title\": "));
        assertThrows(Json.ParseException.class, () -> Json.parse("{title: 1}"));
        assertThrows(Json.ParseException.class, () -> Json.parse("[1,]"));
        assertThrows(Json.ParseException.class, () -> Json.parse("\"open"));
        assertThrows(Json.ParseException.class, () -> Json.parse("{} extra"));
        assertThrows(Json.ParseException.class, () -> Json.parse(""));
    }
}
