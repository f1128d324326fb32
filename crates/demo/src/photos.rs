//! Demo photos of showcase cases (2.5.3): small PNG pictures drawn from a seed — a sky, a field
//! and a sun in colours of the seed — so that the portal's stories show images without any
//! file shipped. Written by hand (stored deflate blocks, CRC-32, Adler-32): the PNG format
//! needs no library for pictures this simple.

/// Width and height of a demo photo, in pixels.
const WIDTH: u32 = 240;
const HEIGHT: u32 = 160;

/// A PNG picture for `seed`: the same seed, the same bytes.
pub fn photo_png(seed: u64) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&WIDTH.to_be_bytes());
    header.extend_from_slice(&HEIGHT.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib_stored(&pixels(seed)));
    chunk(&mut png, b"IEND", &[]);
    png
}

/// The picture's rows, each led by filter byte 0: a sky fading down, a field below the
/// horizon, a sun.
fn pixels(seed: u64) -> Vec<u8> {
    let hue = |shift: u32| ((seed >> shift) & 0x7f) as u8;
    let (sky, field) = (
        [90 + hue(0), 150 + hue(7) / 2, 230],
        [60 + hue(14), 140 + hue(21) / 2, 50 + hue(28)],
    );
    let horizon = HEIGHT * 3 / 5;
    let sun = (40 + (seed % 160) as i64, 40_i64);
    let mut data = Vec::with_capacity(((WIDTH * 3 + 1) * HEIGHT) as usize);
    for y in 0..HEIGHT {
        data.push(0);
        for x in 0..WIDTH {
            let (dx, dy) = (i64::from(x) - sun.0, i64::from(y) - sun.1);
            let rgb = if dx * dx + dy * dy < 400 {
                [250, 220, 90]
            } else if y < horizon {
                let fade = (y * 60 / horizon) as u8;
                [
                    sky[0].saturating_add(fade),
                    sky[1].saturating_add(fade),
                    sky[2],
                ]
            } else {
                let row = ((y - horizon) / 6 % 2) as u8 * 18;
                [field[0], field[1].saturating_sub(row), field[2]]
            };
            data.extend_from_slice(&rgb);
        }
    }
    data
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// `data` as a zlib stream of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (n, block) in blocks.iter().enumerate() {
        out.push(u8::from(n + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1_u32, 0_u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_photo_is_a_png_of_the_seed() {
        let photo = photo_png(7);
        assert!(photo.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(photo.ends_with(&[0xae, 0x42, 0x60, 0x82]), "IEND's CRC");
        assert_eq!(photo, photo_png(7));
        assert_ne!(photo, photo_png(8));
        assert!(photo.len() < 200_000);
    }

    #[test]
    fn the_checksums_are_the_standard_ones() {
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
