using System.Collections.Generic;
using System.Text;

namespace ModelMonitoring.Generators
{
    /// <summary>Writes indented C# text, wrapping long lists so that lines stay within <see cref="MaxLineLength"/>.</summary>
    internal sealed class SourceWriter
    {
        /// <summary>The longest line the writer produces when it can break it.</summary>
        public const int MaxLineLength = 150;

        private readonly StringBuilder _builder = new();
        private int _indent;

        private int IndentWidth => _indent * 4;

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', IndentWidth);
            }

            _builder.Append(text).Append('\n');
            return this;
        }

        public SourceWriter Open(string text)
        {
            Line(text);
            return OpenBrace();
        }

        public SourceWriter OpenBrace()
        {
            Line("{");
            _indent++;
            return this;
        }

        public SourceWriter Close(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
            return this;
        }

        public SourceWriter Indent()
        {
            _indent++;
            return this;
        }

        public SourceWriter Outdent()
        {
            _indent--;
            return this;
        }

        /// <summary>
        /// <c>head + items + tail</c> on one line when it fits; otherwise <paramref name="head"/>, then one item per line,
        /// indented once more, <paramref name="tail"/> after the last. For parameter and argument lists.
        /// </summary>
        public SourceWriter List(string head, IReadOnlyList<string> items, string tail)
        {
            string single = head + string.Join(", ", items) + tail;
            if (IndentWidth + single.Length <= MaxLineLength || items.Count == 0)
            {
                return Line(single);
            }

            Line(head.TrimEnd());
            _indent++;
            for (int i = 0; i < items.Count; i++)
            {
                Line(items[i] + (i < items.Count - 1 ? "," : tail));
            }

            _indent--;
            return this;
        }

        /// <summary>
        /// <c>head + items + tail</c> on one line when it fits; otherwise <paramref name="head"/>, then the items, as many as fit
        /// on each line, indented once more. For argument lists of many short items (descriptors).
        /// </summary>
        public SourceWriter Packed(string head, IReadOnlyList<string> items, string tail)
        {
            string single = head + string.Join(", ", items) + tail;
            if (IndentWidth + single.Length <= MaxLineLength || items.Count == 0)
            {
                return Line(single);
            }

            Line(head.TrimEnd());
            _indent++;
            string current = string.Empty;
            for (int i = 0; i < items.Count; i++)
            {
                string item = items[i] + (i < items.Count - 1 ? "," : tail);
                string candidate = current.Length == 0 ? item : current + " " + item;
                if (current.Length > 0 && IndentWidth + candidate.Length > MaxLineLength)
                {
                    Line(current);
                    current = item;
                }
                else
                {
                    current = candidate;
                }
            }

            Line(current);
            _indent--;
            return this;
        }

        /// <summary>Whether <paramref name="text"/> fits on one line at the current indentation.</summary>
        public bool Fits(string text) => IndentWidth + text.Length <= MaxLineLength;

        /// <summary>A <c>/// &lt;summary&gt;</c> comment, its words wrapped to fit.</summary>
        public SourceWriter Doc(string text)
        {
            string single = "/// <summary>" + text + "</summary>";
            if (Fits(single))
            {
                return Line(single);
            }

            string[] words = text.Split(' ');
            string current = "/// <summary>" + words[0];
            for (int i = 1; i < words.Length; i++)
            {
                string candidate = current + " " + words[i];
                if (Fits(candidate + (i == words.Length - 1 ? "</summary>" : string.Empty)))
                {
                    current = candidate;
                }
                else
                {
                    Line(current);
                    current = "/// " + words[i];
                }
            }

            return Line(current + "</summary>");
        }

        /// <summary>A statement split before <paramref name="rest"/> when it does not fit on one line.</summary>
        public SourceWriter Split(string first, string rest)
        {
            if (IndentWidth + first.Length + 1 + rest.Length <= MaxLineLength)
            {
                return Line(first + " " + rest);
            }

            Line(first);
            _indent++;
            Line(rest);
            _indent--;
            return this;
        }

        public override string ToString() => _builder.ToString();
    }
}
