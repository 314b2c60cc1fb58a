package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapesTheFiveCharactersThatEndElementsOrAttributes() {
        assertEquals("&lt;b&gt;Tom &amp; &quot;Jerry&quot; &#39;n&#39; co&lt;/b&gt;",
                Html.escape("<b>Tom & \"Jerry\" 'n' co</b>"));
        assertEquals("T-shirt/top é ✓", Html.escape("T-shirt/top é ✓"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void numbersReadTheSameEverywhere() {
        assertEquals("91.29%", Html.percent(0.9129, 2));
        assertEquals("n/a", Html.percent(Double.NaN, 2));
        assertEquals("0.98873", Html.fixed(0.988729, 5));
        assertEquals("10,000", Html.grouped(10_000));
    }

    @Test
    void settingsAreWrittenAsAPersonWouldTypeThem() {
        assertEquals("0.01", Html.compact(0.01));
        assertEquals("0.0005", Html.compact(5.0e-4));
        assertEquals("1e-08", Html.compact(1e-8));
        assertEquals("2.5e-05", Html.compact(2.5e-5));
        assertEquals("100", Html.compact(100.0));
        assertEquals("0.1", Html.compact(0.1));   // the double nearest 0.1, not 0.1000000000000000055...
        assertEquals("0.0495", Html.significant(0.0494537, 3));
        assertEquals("0", Html.compact(0.0));
        assertEquals("0.05", Html.value(0.05));
        assertEquals("0.5", Html.value(0.5f));
        assertEquals("64", Html.value(64));
        assertEquals("cosine", Html.value("cosine"));
        assertEquals("none", Html.value(null));
    }
}
