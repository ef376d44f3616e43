//! The font cards are drawn in, shipped in the binary so that a card looks the same on every
//! machine (DejaVu Sans, under the Bitstream Vera licence: `fonts/LICENSE`), with the advance
//! widths that lines are broken by.

use std::sync::{Arc, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// The family name the cards' SVG asks for.
pub const FAMILY: &str = "DejaVu Sans";

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// One face's widths, in ems.
struct Face {
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: GlyphMetrics<'static>,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Self> {
        let font = FontRef::new(data).ok()?;
        Some(Face { charmap: font.charmap(), metrics: font.glyph_metrics(Size::new(1.0), LocationRef::default()) })
    }

    /// The width of `c` in ems: a character the font lacks is drawn as its box, about 0.6 em.
    fn advance(&self, c: char) -> f32 {
        self.charmap.map(c).and_then(|g| self.metrics.advance_width(g)).unwrap_or(0.6)
    }
}

/// Both faces' widths, read once.
fn faces() -> Option<&'static (Face, Face)> {
    static FACES: OnceLock<Option<(Face, Face)>> = OnceLock::new();
    FACES.get_or_init(|| Some((Face::new(REGULAR)?, Face::new(BOLD)?))).as_ref()
}

/// The width of `text` set at `size` pixels, bold or not.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    match faces() {
        Some((regular, bold_face)) => {
            let face = if bold { bold_face } else { regular };
            text.chars().map(|c| face.advance(c)).sum::<f32>() * size
        }
        // The fonts are part of the binary; were they unreadable, a generous guess.
        None => text.chars().count() as f32 * 0.65 * size,
    }
}

/// The font database cards are rasterised with: the two faces, nothing from the machine.
pub fn database() -> Arc<resvg::usvg::fontdb::Database> {
    static DATABASE: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    Arc::clone(DATABASE.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    }))
}
