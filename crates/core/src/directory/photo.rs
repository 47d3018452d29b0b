//! The optional photo of a directory profile.
//!
//! A person uploads any JPEG, PNG or WebP file; [`process`] turns it into a
//! [`SIZE`]×[`SIZE`] baseline JPEG. The format is recognised by its first
//! bytes, never by the file name or the announced content type. The photo is
//! decoded to pixels and encoded anew, which drops every piece of metadata the
//! original carried (Exif with its GPS position, XMP, ICC profile, comments,
//! embedded thumbnails); the Exif orientation is applied first so that photos
//! taken with a phone stand upright.
//!
//! Decoding is bounded: the byte size, the declared dimensions and the memory
//! the decoder may reserve are checked before any pixel buffer is allocated
//! (guard against « decompression bombs »).

use std::fmt;
use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::{self, FilterType};
use image::metadata::Orientation;
use image::{DynamicImage, ImageBuffer, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, Pixel, RgbaImage};

/// Largest file accepted, in bytes (5 Mo).
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Side of the square output, in pixels.
pub const SIZE: u32 = 320;
/// Smallest side accepted, in pixels.
pub const MIN_SIDE: u32 = 64;
/// Largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 8000;
/// Most memory the decoder may reserve for one photo (an 8000×8000 RGBA
/// image takes 244 MiB).
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// JPEG quality of the output.
const QUALITY: u8 = 85;

/// A processed profile photo: a baseline JPEG of [`SIZE`]×[`SIZE`] pixels
/// without any metadata.
#[derive(Clone, PartialEq, Eq)]
pub struct Photo {
    pub jpeg: Vec<u8>,
}

impl fmt::Debug for Photo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Photo").field("jpeg_bytes", &self.jpeg.len()).finish()
    }
}

/// Why an uploaded file cannot become a profile photo. The messages are meant
/// for the person who sent it: they say what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("Le fichier envoyé est vide : choisissez de nouveau votre photo, puis réessayez.")]
    Empty,
    #[error("La photo dépasse 5 Mo : réduisez-la ou choisissez une image plus légère, puis réessayez.")]
    TooLarge,
    #[error("Ce fichier n'est pas une image JPEG, PNG ou WebP. Enregistrez votre photo dans l'un de ces formats.")]
    UnsupportedFormat,
    #[error(
        "Cette variante du format d'image n'est pas prise en charge : enregistrez de nouveau votre photo en JPEG ou en PNG, puis réessayez."
    )]
    UnsupportedVariant,
    #[error("L'image est endommagée ou incomplète : enregistrez-la de nouveau ou choisissez une autre photo.")]
    Corrupt,
    #[error(
        "Les dimensions de l'image sont trop grandes (8 000 pixels de côté au plus) : réduisez-la, puis réessayez."
    )]
    DimensionsTooLarge,
    #[error("La photo est trop petite (64 pixels de côté au moins) : choisissez une image plus grande.")]
    TooSmall,
}

/// What a decoding failure means for the person.
fn refusal(e: ImageError) -> PhotoError {
    match e {
        ImageError::Limits(_) => PhotoError::DimensionsTooLarge,
        ImageError::Unsupported(_) => PhotoError::UnsupportedVariant,
        ImageError::Decoding(_) | ImageError::IoError(_) | ImageError::Parameter(_) | ImageError::Encoding(_) => {
            PhotoError::Corrupt
        }
    }
}

/// Checks, orients, crops, resizes and re-encodes an uploaded photo.
///
/// The result is a centred square of [`SIZE`]×[`SIZE`] pixels (the longer
/// side is cropped), transparent areas flattened onto white, encoded as a
/// baseline JPEG of quality 85 that carries no metadata.
pub fn process(bytes: &[u8]) -> Result<Photo, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let format = sniff(bytes).ok_or(PhotoError::UnsupportedFormat)?;
    // zune-jpeg, in the lenient mode the image crate uses, fills a truncated
    // scan with grey instead of failing: look for the end marker ourselves.
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(PhotoError::Corrupt);
    }

    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    // Reads the headers only, and checks the declared width and height.
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(PhotoError::DimensionsTooLarge);
    }
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(PhotoError::TooSmall);
    }
    // The pixel buffer must fit in the allowance (as `ImageReader::decode` does).
    limits.reserve(decoder.total_bytes()).map_err(refusal)?;
    // Unreadable Exif is no reason to refuse a photo: it is then taken as is.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let decoded = DynamicImage::from_decoder(decoder).map_err(refusal)?;

    // A centred square crop commutes with every rotation and mirroring, so the
    // orientation is applied to the small square rather than to the original.
    let mut square = if decoded.color().has_alpha() {
        let mut rgba = decoded.into_rgba8();
        flatten_onto_white(&mut rgba);
        DynamicImage::ImageRgba8(cover_square(&rgba))
    } else {
        DynamicImage::ImageRgb8(cover_square(&decoded.into_rgb8()))
    };
    square.apply_orientation(orientation);
    let rgb = square.into_rgb8();

    let mut jpeg = Vec::with_capacity(32 * 1024);
    // The encoder writes a JFIF header and the pixels: no Exif, ICC or XMP
    // unless asked to.
    JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode_image(&rgb)
        .map_err(refusal)?;
    Ok(Photo { jpeg })
}

/// The format given by the first bytes of the file, if it is one we accept.
fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(ImageFormat::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// Whether a JPEG has all its segments up to the first scan and an end of
/// image marker (FF D9) after it. Entropy-coded data cannot contain FF D9
/// (an FF byte there is followed by 00 or a restart marker), and the segments
/// before the first scan, which may hold an Exif thumbnail with its own end
/// marker, are skipped by their lengths. Data after the end marker (some
/// phones append some) is allowed.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    loop {
        // Markers may be preceded by any number of FF fill bytes.
        while bytes.get(i) == Some(&0xFF) && bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else {
            return false;
        };
        match marker {
            // Start of scan: the rest is image data, which must end.
            0xDA => return bytes[i + 2..].windows(2).any(|w| w == [0xFF, 0xD9]),
            // End of image before any scan, or a stray byte.
            0xD9 | 0x00 => return false,
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => i += 2,
            _ => {
                let (Some(&hi), Some(&lo)) = (bytes.get(i + 2), bytes.get(i + 3)) else {
                    return false;
                };
                let len = usize::from(u16::from_be_bytes([hi, lo]));
                if len < 2 {
                    return false;
                }
                i += 2 + len;
            }
        }
    }
}

/// Blends every pixel onto a white background and makes it opaque.
fn flatten_onto_white(image: &mut RgbaImage) {
    for pixel in image.pixels_mut() {
        let alpha = u32::from(pixel[3]);
        for channel in &mut pixel.0[..3] {
            let blended = (u32::from(*channel) * alpha + 255 * (255 - alpha) + 127) / 255;
            *channel = u8::try_from(blended).unwrap_or(u8::MAX);
        }
        pixel[3] = u8::MAX;
    }
}

/// The centred square of an image, scaled to [`SIZE`]×[`SIZE`] (« cover »).
///
/// Large squares are first shrunk by fast area averaging to twice the final
/// size, then Lanczos3 gives the final sharpness: the result is as good as a
/// single Lanczos3 pass at a fraction of its cost on a 12-megapixel photo.
fn cover_square<P: Pixel<Subpixel = u8> + 'static>(image: &ImageBuffer<P, Vec<u8>>) -> ImageBuffer<P, Vec<u8>> {
    let (width, height) = image.dimensions();
    let side = width.min(height);
    let view = imageops::crop_imm(image, (width - side) / 2, (height - side) / 2, side, side);
    if side > 4 * SIZE {
        let intermediate = imageops::thumbnail(&*view, 2 * SIZE, 2 * SIZE);
        imageops::resize(&intermediate, SIZE, SIZE, FilterType::Lanczos3)
    } else {
        imageops::resize(&*view, SIZE, SIZE, FilterType::Lanczos3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::png::PngEncoder;
    use image::codecs::webp::WebPEncoder;
    use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage, Rgba};

    const RED: Rgb<u8> = Rgb([220, 20, 20]);
    const BLUE: Rgb<u8> = Rgb([20, 20, 220]);

    fn jpeg_of(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(image).unwrap();
        out
    }

    fn png_of(image: &RgbaImage) -> Vec<u8> {
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    /// Left half red, right half blue.
    fn halves(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, _| if x < width / 2 { RED } else { BLUE })
    }

    fn decode_output(photo: &Photo) -> RgbImage {
        assert!(photo.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
        let image = image::load_from_memory_with_format(&photo.jpeg, ImageFormat::Jpeg).unwrap();
        assert_eq!((image.width(), image.height()), (SIZE, SIZE));
        image.into_rgb8()
    }

    fn close(actual: &Rgb<u8>, expected: Rgb<u8>) -> bool {
        actual.0.iter().zip(expected.0).all(|(a, e)| a.abs_diff(e) <= 24)
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// A TIFF structure (big-endian) with IFD0 holding Orientation and a
    /// pointer to a GPS IFD holding a latitude reference and a processing
    /// method that spells « GPS ».
    fn exif_tiff(orientation: u16) -> Vec<u8> {
        let mut t = Vec::new();
        t.extend_from_slice(b"MM\0\x2A\0\0\0\x08"); // header, IFD0 at 8
        // IFD0 at 8: 2 entries (2 + 2 × 12 + 4 = 30 bytes), GPS IFD at 38.
        t.extend_from_slice(&2u16.to_be_bytes());
        t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        t.extend_from_slice(&orientation.to_be_bytes());
        t.extend_from_slice(&[0, 0]);
        t.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
        t.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
        assert_eq!(t.len(), 38);
        // GPS IFD at 38: 2 entries (30 bytes), processing method data at 68.
        t.extend_from_slice(&2u16.to_be_bytes());
        t.extend_from_slice(&[0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        t.extend_from_slice(&[0x00, 0x1B, 0, 7, 0, 0, 0, 11, 0, 0, 0, 68]);
        t.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(t.len(), 68);
        t.extend_from_slice(b"ASCII\0\0\0GPS");
        t
    }

    /// Inserts an APP1 Exif segment right after the SOI marker.
    fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(tiff);
        let len = u16::try_from(payload.len() + 2).unwrap();
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
        out
    }

    #[test]
    fn jpeg_becomes_a_square_jpeg() {
        let photo = process(&jpeg_of(&halves(640, 480))).unwrap();
        let out = decode_output(&photo);
        assert!(close(out.get_pixel(40, 160), RED));
        assert!(close(out.get_pixel(280, 160), BLUE));
        // A baseline JPEG: SOF0, no progressive SOF2.
        assert!(contains(&photo.jpeg, &[0xFF, 0xC0]));
        assert!(!contains(&photo.jpeg, &[0xFF, 0xC2]));
    }

    #[test]
    fn large_photo_goes_through_the_two_step_resize() {
        let photo = process(&jpeg_of(&halves(2000, 1500))).unwrap();
        let out = decode_output(&photo);
        assert!(close(out.get_pixel(40, 160), RED));
        assert!(close(out.get_pixel(280, 160), BLUE));
    }

    #[test]
    fn transparency_is_flattened_onto_white() {
        // Top half fully transparent (with black colour values), bottom half
        // opaque red, a half-transparent column band in the middle rows.
        let image = RgbaImage::from_fn(100, 100, |_, y| {
            if y < 50 {
                Rgba([0, 0, 0, 0])
            } else {
                Rgba([220, 20, 20, 255])
            }
        });
        let out = decode_output(&process(&png_of(&image)).unwrap());
        assert!(close(out.get_pixel(160, 40), Rgb([255, 255, 255])));
        assert!(close(out.get_pixel(160, 280), RED));
        // No dark fringe where transparent meets opaque: going from white to
        // red, the red channel never drops.
        for y in 0..SIZE {
            let p = out.get_pixel(160, y);
            assert!(p[0] >= 200, "dark pixel at row {y}: {p:?}");
        }
    }

    #[test]
    fn webp_lossless_is_accepted() {
        let image = halves(300, 300);
        let mut webp = Vec::new();
        WebPEncoder::new_lossless(&mut webp)
            .encode(image.as_raw(), 300, 300, ExtendedColorType::Rgb8)
            .unwrap();
        assert!(webp.starts_with(b"RIFF") && &webp[8..12] == b"WEBP");
        let out = decode_output(&process(&webp).unwrap());
        assert!(close(out.get_pixel(40, 160), RED));
        assert!(close(out.get_pixel(280, 160), BLUE));
    }

    #[test]
    fn exif_orientation_is_applied_and_metadata_stripped() {
        let plain = jpeg_of(&halves(200, 100));
        let tagged = with_exif(&plain, &exif_tiff(6));
        assert!(contains(&tagged, b"Exif") && contains(&tagged, b"GPS"));

        // Without orientation: landscape, the square keeps red left, blue right.
        let out = decode_output(&process(&plain).unwrap());
        assert!(close(out.get_pixel(40, 160), RED));
        assert!(close(out.get_pixel(280, 160), BLUE));

        // Orientation 6 (rotate 90° clockwise): portrait, red on top, blue below.
        let photo = process(&tagged).unwrap();
        let out = decode_output(&photo);
        assert!(close(out.get_pixel(160, 40), RED), "{:?}", out.get_pixel(160, 40));
        assert!(close(out.get_pixel(160, 280), BLUE), "{:?}", out.get_pixel(160, 280));

        for marker in [
            &b"Exif"[..],
            b"GPS",
            b"MM\0\x2A",
            b"http://ns.adobe.com/xap",
            b"ICC_PROFILE",
        ] {
            assert!(!contains(&photo.jpeg, marker), "output contains {marker:?}");
        }
        // No APP1 (Exif/XMP) nor APP2 (ICC) segment at all.
        assert!(!contains(&photo.jpeg, &[0xFF, 0xE1]));
        assert!(!contains(&photo.jpeg, &[0xFF, 0xE2]));
    }

    #[test]
    fn other_orientations_and_bad_exif() {
        let plain = jpeg_of(&halves(200, 100));
        // 3 = rotate 180°: blue left, red right.
        let out = decode_output(&process(&with_exif(&plain, &exif_tiff(3))).unwrap());
        assert!(close(out.get_pixel(40, 160), BLUE));
        assert!(close(out.get_pixel(280, 160), RED));
        // 8 = rotate 90° counter-clockwise: blue on top.
        let out = decode_output(&process(&with_exif(&plain, &exif_tiff(8))).unwrap());
        assert!(close(out.get_pixel(160, 40), BLUE));
        assert!(close(out.get_pixel(160, 280), RED));
        // Garbage Exif: the photo is taken as is.
        let out = decode_output(&process(&with_exif(&plain, b"MM\0\x2A\xFF\xFF\xFF\xFF")).unwrap());
        assert!(close(out.get_pixel(40, 160), RED));
    }

    #[test]
    fn formats_are_recognised_by_content_only() {
        let gif = b"GIF89a\x40\x00\x40\x00\x80\x00\x00\xFF\xFF\xFF\x00\x00\x00!\xF9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\"></svg>";
        let heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic";
        let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00";
        let text = "Photo de Camille Martin, mairie d'Alès".as_bytes();
        let riff_wave = b"RIFF\x24\x00\x00\x00WAVEfmt ";
        let short_jpeg_magic = &[0xFF, 0xD8][..];
        for bad in [&gif[..], svg, heic, pdf, exe, text, riff_wave, short_jpeg_magic] {
            assert_eq!(process(bad).unwrap_err(), PhotoError::UnsupportedFormat, "{bad:?}");
        }
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert_eq!(process(&[]).unwrap_err(), PhotoError::Empty);
        let mut big = jpeg_of(&halves(100, 100));
        big.resize(MAX_UPLOAD_BYTES + 1, 0);
        assert_eq!(process(&big).unwrap_err(), PhotoError::TooLarge);
    }

    #[test]
    fn truncated_images_are_refused() {
        let jpeg = jpeg_of(&halves(400, 300));
        for cut in [4, 30, jpeg.len() / 2, jpeg.len() - 2] {
            assert_eq!(
                process(&jpeg[..cut]).unwrap_err(),
                PhotoError::Corrupt,
                "JPEG cut at {cut}"
            );
        }
        let png = png_of(&RgbaImage::from_fn(200, 200, |x, y| Rgba([x as u8, y as u8, 7, 255])));
        for cut in [8, 20, 40, png.len() / 2, png.len() - 12] {
            assert_eq!(
                process(&png[..cut]).unwrap_err(),
                PhotoError::Corrupt,
                "PNG cut at {cut}"
            );
        }
    }

    #[test]
    fn jpeg_with_trailing_data_is_accepted() {
        let mut jpeg = jpeg_of(&halves(200, 200));
        jpeg.extend_from_slice(b"\0\0trailer appended by a phone");
        decode_output(&process(&jpeg).unwrap());
    }

    #[test]
    fn huge_declared_dimensions_are_refused_before_decoding() {
        // A PNG made of its signature, an IHDR announcing 100000×100000 RGBA
        // pixels (40 GB once decoded) and IEND.
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend(png_chunk(b"IHDR", &ihdr));
        png.extend(png_chunk(b"IEND", &[]));
        assert_eq!(process(&png).unwrap_err(), PhotoError::DimensionsTooLarge);

        // A JPEG whose frame header claims 60000×60000.
        let mut jpeg = jpeg_of(&halves(100, 100));
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
        assert_eq!(process(&jpeg).unwrap_err(), PhotoError::DimensionsTooLarge);
    }

    #[test]
    fn tiny_images_are_refused() {
        assert_eq!(process(&jpeg_of(&halves(63, 200))).unwrap_err(), PhotoError::TooSmall);
        let tiny = RgbaImage::from_pixel(32, 32, Rgba([1, 2, 3, 255]));
        assert_eq!(process(&png_of(&tiny)).unwrap_err(), PhotoError::TooSmall);
        decode_output(&process(&jpeg_of(&halves(64, 64))).unwrap());
    }

    #[test]
    fn messages_are_sentences() {
        for e in [
            PhotoError::Empty,
            PhotoError::TooLarge,
            PhotoError::UnsupportedFormat,
            PhotoError::UnsupportedVariant,
            PhotoError::Corrupt,
            PhotoError::DimensionsTooLarge,
            PhotoError::TooSmall,
        ] {
            let m = e.to_string();
            assert!(m.ends_with('.') && m.chars().next().unwrap().is_uppercase(), "{m}");
        }
        assert_eq!(
            PhotoError::UnsupportedFormat.to_string(),
            "Ce fichier n'est pas une image JPEG, PNG ou WebP. Enregistrez votre photo dans l'un de ces formats."
        );
    }
}
