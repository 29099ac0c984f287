//! Shannon entropy, the cheap test that tells a random token from a word.

/// Shannon entropy of `s` in bits per character (0.0 for an empty string).
///
/// Random base64 sits near 6, hex near 4, English words and placeholders well under 3.5.
pub fn shannon(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0u32;
    for &b in s.as_bytes() {
        counts[b as usize] += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::shannon;

    #[test]
    fn entropy_separates_words_from_tokens() {
        assert_eq!(shannon(""), 0.0);
        assert_eq!(shannon("aaaa"), 0.0);
        assert!((shannon("ab") - 1.0).abs() < 1e-9);
        assert!(shannon("password") < 3.0);
        assert!(shannon("q8Zr2LxT0vNw9KbY4mHs7PcE") > 4.0);
    }
}
