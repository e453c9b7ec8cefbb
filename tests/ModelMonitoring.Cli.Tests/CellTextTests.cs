using System.Globalization;
using ModelMonitoring.Cli.Data;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// The CSV reader's fast path for plain decimals gives the very double the general parser (and the BCL's correctly
/// rounded <see cref="double.Parse(string, IFormatProvider)"/>) gives, and leaves everything else to the general parser.
/// </summary>
public sealed class CellTextTests
{
    [Fact]
    public void Plain_decimals_parse_to_the_correctly_rounded_double()
    {
        var random = new Random(7);
        for (int i = 0; i < 200_000; i++)
        {
            int decimals = random.Next(0, 23);
            int integerDigits = random.Next(0, 17);
            string text = (random.Next(2) == 0 ? "-" : string.Empty)
                + Digits(random, integerDigits)
                + (decimals > 0 || random.Next(4) == 0 ? "." + Digits(random, decimals) : string.Empty);
            if (!text.Any(char.IsAsciiDigit))
            {
                continue;
            }

            double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(CellText.TryParseNumber(text, out double parsed), text);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(parsed), $"{text}: expected {expected:R}, got {parsed:R}");
            if (CellText.TryParsePlainDecimal(text, out double fast))
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(fast), $"{text} (fast path): expected {expected:R}, got {fast:R}");
            }
        }
    }

    [Theory]
    [InlineData("9007199254740993")] // 2^53 + 1: beyond the fast path
    [InlineData("12345678901234567890.5")]
    [InlineData("0.12345678901234567890123")]
    [InlineData("1e5")]
    [InlineData("+3.5")]
    [InlineData(" 2.5 ")]
    [InlineData("-0.0")]
    [InlineData("5.")]
    [InlineData(".5")]
    public void Other_numbers_still_parse_as_before(string text)
    {
        double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.True(CellText.TryParseNumber(text, out double parsed));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(parsed));
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1,5")]
    [InlineData("1.5abc")]
    [InlineData("--1")]
    public void Non_numbers_are_refused(string text)
    {
        Assert.False(CellText.TryParsePlainDecimal(text, out _));
        Assert.False(CellText.TryParseNumber(text, out _));
    }

    private static string Digits(Random random, int count) =>
        string.Create(count, random, (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + r.Next(10));
            }
        });
}
