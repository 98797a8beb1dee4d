"""Script documents, their revisions and scenes, and the breakdown: categories, elements, tags.

A production has one or more script documents (a feature has one; a series one per episode); each
upload of a draft is a new `ScriptRevision` of a document with its own scenes. Breakdown elements
belong to the production (so "SHOTGUN" is one element across every revision), and a `Tag` links an
element to a scene, either to a character range of the scene's text or to the whole scene.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from unitbase.productions.models import Production


class RevisionColour(models.TextChoices):
    """The WGA/industry order of revision page colours."""

    WHITE = "white", "White"
    BLUE = "blue", "Blue"
    PINK = "pink", "Pink"
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"
    GOLDENROD = "goldenrod", "Goldenrod"
    BUFF = "buff", "Buff"
    SALMON = "salmon", "Salmon"
    CHERRY = "cherry", "Cherry"
    DOUBLE_WHITE = "double_white", "Double white"
    DOUBLE_BLUE = "double_blue", "Double blue"
    DOUBLE_PINK = "double_pink", "Double pink"
    DOUBLE_YELLOW = "double_yellow", "Double yellow"
    DOUBLE_GREEN = "double_green", "Double green"


REVISION_HEX = {
    "white": "#ffffff", "blue": "#c9dcf5", "pink": "#f7cfe0", "yellow": "#fbf1a6", "green": "#cdebc4",
    "goldenrod": "#e8c15a", "buff": "#efe0bd", "salmon": "#f6b7a2", "cherry": "#e5737f",
}


class ScriptFormat(models.TextChoices):
    FOUNTAIN = "fountain", "Fountain"
    FDX = "fdx", "Final Draft (FDX)"
    PDF = "pdf", "PDF"


class Paper(models.TextChoices):
    LETTER = "letter", "US Letter"
    A4 = "a4", "A4"


class ScriptDocument(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="script_documents")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class ScriptRevision(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="script_revisions")
    document = models.ForeignKey(ScriptDocument, on_delete=models.CASCADE, related_name="revisions")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sequence = models.PositiveIntegerField(help_text="1 for the first draft imported into the document")
    title = models.CharField(max_length=200)
    format = models.CharField(max_length=10, choices=ScriptFormat.choices)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    colour = models.CharField(max_length=20, choices=RevisionColour.choices, default=RevisionColour.WHITE)
    draft_date = models.CharField(max_length=100, blank=True, help_text="As written on the title page")
    paper = models.CharField(max_length=10, choices=Paper.choices, default=Paper.LETTER)
    page_count = models.PositiveIntegerField(default=0)
    total_eighths = models.PositiveIntegerField(default=0)
    numbers_locked = models.BooleanField(default=False)
    title_page = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    change_report = models.JSONField(default=dict, blank=True)
    omitted_scenes = models.JSONField(
        default=list, blank=True,
        help_text="With locked numbers: the OMITTED placeholders kept for scenes taken out "
                  "([{number, heading, omitted_in, after_order}]); never counted in pages or eighths",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["document", "sequence"], name="scripts_revision_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.get_colour_display()} ({self.sequence})"

    @property
    def colour_hex(self) -> str:
        return REVISION_HEX.get(self.colour.removeprefix("double_"), "#ffffff")


class IntExt(models.TextChoices):
    INT = "INT", "INT"
    EXT = "EXT", "EXT"
    INT_EXT = "INT/EXT", "INT/EXT"
    NONE = "", "—"


class SceneChange(models.TextChoices):
    NEW = "", "—"  # first draft: nothing to compare with
    UNCHANGED = "unchanged", "Unchanged"
    CHANGED = "changed", "Changed"
    MOVED = "moved", "Moved"
    ADDED = "added", "Added"


class Scene(models.Model):
    """One scene of a revision. `text` is the scene's printed text, paragraphs separated by a blank
    line; `blocks` lists each paragraph's type and its [start, end) range in `text`, so the page can
    format it as a screenplay and tags can point into it."""

    revision = models.ForeignKey(ScriptRevision, on_delete=models.CASCADE, related_name="scenes")
    order = models.PositiveIntegerField()
    number = models.CharField(max_length=12)
    heading = models.CharField(max_length=500)
    int_ext = models.CharField(max_length=7, choices=IntExt.choices, blank=True)
    set_name = models.CharField(max_length=300, blank=True)
    set_key = models.CharField(max_length=300, blank=True, db_index=True)
    time_of_day = models.CharField(max_length=60, blank=True)
    time_of_day_effective = models.CharField(max_length=60, blank=True)
    synopsis = models.TextField(blank=True)
    page_start = models.PositiveIntegerField(default=1)
    page_end = models.PositiveIntegerField(default=1)
    eighths = models.PositiveIntegerField(default=1)
    text = models.TextField(blank=True)
    blocks = models.JSONField(default=list, blank=True)
    line_start = models.PositiveIntegerField(default=0)
    line_end = models.PositiveIntegerField(default=0)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    change = models.CharField(max_length=10, choices=SceneChange.choices, blank=True, default="")

    class Meta:
        ordering = ["revision_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "order"], name="scripts_scene_order_unique"),
            models.UniqueConstraint(fields=["revision", "number"], name="scripts_scene_number_unique"),
            models.CheckConstraint(condition=Q(page_end__gte=models.F("page_start")), name="scripts_scene_pages"),
            models.CheckConstraint(condition=Q(eighths__gte=1), name="scripts_scene_eighths_min"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}"

    omitted = False  # a real scene; OMITTED placeholders are selectors.OmittedScene

    @property
    def day_night(self) -> str:
        """D or N (or the word) for strips and sheet headers."""
        tod = (self.time_of_day_effective or self.time_of_day or "").upper()
        if tod in {"NIGHT", "EVENING", "DUSK", "MIDNIGHT", "LATE NIGHT", "NIGHTFALL", "TWILIGHT", "SUNSET"}:
            return "N"
        if tod:
            return "D"
        return ""

    @property
    def pages_label(self) -> str:
        whole, rest = divmod(self.eighths, 8)
        if not whole:
            return f"{rest}/8"
        return f"{whole} {rest}/8" if rest else str(whole)


class SceneCharacter(models.Model):
    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="characters")
    name = models.CharField(max_length=200)
    lines = models.PositiveIntegerField(default=0, help_text="Speeches (character cues) in the scene")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scene_id", "order"]
        constraints = [models.UniqueConstraint(fields=["scene", "name"], name="scripts_scene_character_unique")]

    def __str__(self) -> str:
        return self.name


class BreakdownCategory(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="breakdown_categories")
    key = models.SlugField(max_length=40, help_text="Stable identity of a default category (cast, props, ...)")
    name = models.CharField(max_length=100)
    colour = models.CharField(max_length=7, help_text="#rrggbb")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["production_id", "order", "name"]
        verbose_name_plural = "breakdown categories"
        constraints = [
            models.UniqueConstraint(fields=["production", "key"], name="scripts_category_key_unique"),
            models.UniqueConstraint(fields=["production", "name"], name="scripts_category_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on the category colour."""
        try:
            r, g, b = (int(self.colour[i : i + 2], 16) for i in (1, 3, 5))
        except ValueError:
            return "#000000"
        return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


class Element(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="breakdown_elements")
    category = models.ForeignKey(BreakdownCategory, on_delete=models.RESTRICT, related_name="elements")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, help_text="Upper-cased, spaces collapsed: for matching names")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["production", "category", "key"], name="scripts_element_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TagSource(models.TextChoices):
    AUTO = "auto", "Automatic (structure)"
    KEYWORD = "keyword", "Keyword suggestion"
    MANUAL = "manual", "Tagged by hand"
    FDX = "fdx", "Final Draft tag"


class TagStatus(models.TextChoices):
    PENDING = "pending", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Tag(models.Model):
    """An element's occurrence in a scene. A pending keyword suggestion has no element yet: it
    carries the category and name it proposes, and accepting it finds or creates the element."""

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="tags")
    element = models.ForeignKey(Element, null=True, blank=True, on_delete=models.CASCADE, related_name="tags")
    suggested_category = models.ForeignKey(
        BreakdownCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    suggested_name = models.CharField(max_length=200, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=TagSource.choices)
    status = models.CharField(max_length=10, choices=TagStatus.choices, default=TagStatus.ACCEPTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scene_id", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(element__isnull=False) | ~Q(status="accepted"), name="scripts_tag_accepted_has_element"
            ),
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(start__isnull=False) & Q(end__gt=models.F("start"))),
                name="scripts_tag_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} in scene {self.scene_id}"

    @property
    def label(self) -> str:
        return self.element.name if self.element_id else self.suggested_name

    @property
    def excerpt(self) -> str:
        """The tagged words ("" for a whole-scene tag)."""
        if self.start is None:
            return ""
        text = " ".join(self.scene.text[self.start : self.end].split())
        return text if len(text) <= 40 else text[:39] + "…"

    @property
    def category(self) -> BreakdownCategory | None:
        return self.element.category if self.element_id else self.suggested_category
