using System.Globalization;
using System.Text;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>One sample of the Prometheus text exposition format: <c>name{label="value",...} value</c>.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(string label, string value) => Labels.TryGetValue(label, out string? actual) && actual == value;
}

/// <summary>A small parser of the Prometheus text format, enough for what the exporter writes.</summary>
internal static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int position = 0;
            while (position < line.Length && line[position] != '{' && line[position] != ' ')
            {
                position++;
            }

            string name = line[..position];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (position < line.Length && line[position] == '{')
            {
                position++;
                while (line[position] != '}')
                {
                    int equals = line.IndexOf('=', position);
                    string label = line[position..equals];
                    position = equals + 2; // skip ="
                    var value = new StringBuilder();
                    while (line[position] != '"')
                    {
                        if (line[position] == '\\')
                        {
                            position++;
                            value.Append(line[position] == 'n' ? '\n' : line[position]);
                        }
                        else
                        {
                            value.Append(line[position]);
                        }

                        position++;
                    }

                    labels[label] = value.ToString();
                    position++; // closing quote
                    if (line[position] == ',')
                    {
                        position++;
                    }
                }

                position++; // closing brace
            }

            string[] rest = line[position..].Trim().Split(' ');
            double number = rest[0] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                string s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(name, labels, number));
        }

        return samples;
    }
}
