"""StreamField blocks of a good-practice page. Each block has its Meta (icon, template,
label); the four narrative sections share one block class and one template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class SectionBlock(blocks.StructBlock):
    """A narrative section of a practice; its heading is the block's label."""

    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        template = "goodpractices/blocks/section.html"
        label = _("Section")
        section_class = "section"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["heading"] = self.meta.label
        context["section_class"] = self.meta.section_class
        return context


class ChallengeBlock(SectionBlock):
    class Meta:
        icon = "warning"
        label = _("The challenge")
        section_class = "challenge"


class ApproachBlock(SectionBlock):
    class Meta:
        icon = "cogs"
        label = _("The approach")
        section_class = "approach"


class ResultsBlock(SectionBlock):
    class Meta:
        icon = "success"
        label = _("Results")
        section_class = "results"


class LessonsBlock(SectionBlock):
    class Meta:
        icon = "help"
        label = _("Lessons learned")
        section_class = "lessons"


class QuoteBlock(blocks.StructBlock):
    """A quotation from someone involved, with who said it."""

    quote = blocks.TextBlock(label=_("Quote"), max_length=600)
    attribution = blocks.CharBlock(label=_("Who said it"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        template = "goodpractices/blocks/quote.html"
        label = _("Quote")


class CaptionedImageBlock(blocks.StructBlock):
    """An image with its caption and the text alternative for people who cannot see it."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        max_length=250,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "goodpractices/blocks/image.html"
        label = _("Image")


class DocumentBlock(blocks.StructBlock):
    """A downloadable document (a report, a plan, a presentation)."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=200, required=False)

    class Meta:
        icon = "doc-full-inverse"
        template = "goodpractices/blocks/document.html"
        label = _("Document")


class VideoBlock(blocks.StructBlock):
    """An embedded video or other oEmbed content."""

    embed = EmbedBlock(label=_("Address of the video"), max_width=800)
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "media"
        template = "goodpractices/blocks/embed.html"
        label = _("Embed")


class PracticeBodyBlock(blocks.StreamBlock):
    """The structured body of a good practice."""

    challenge = ChallengeBlock()
    approach = ApproachBlock()
    results = ResultsBlock()
    lessons = LessonsBlock()
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    document = DocumentBlock()
    embed = VideoBlock()

    class Meta:
        template = "goodpractices/blocks/body.html"
