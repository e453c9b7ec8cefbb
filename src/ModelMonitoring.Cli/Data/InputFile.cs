using System.Text;

namespace ModelMonitoring.Cli.Data;

/// <summary>Opens input files and writes output files with messages that say what went wrong and with which file.</summary>
internal static class InputFile
{
    /// <summary>Checks that the path is an existing file (not a directory).</summary>
    /// <exception cref="CliInputException">Missing, or a directory.</exception>
    public static void EnsureReadable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliInputException($"{path}: is a directory, not a file.");
        }

        if (!File.Exists(path))
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            throw new CliInputException(directory is not null && !Directory.Exists(directory)
                ? $"{path}: file not found (no such directory)."
                : $"{path}: file not found.");
        }
    }

    /// <summary>Opens a file for a sequential read.</summary>
    /// <exception cref="CliInputException">The file cannot be opened; the message names it and says why.</exception>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        EnsureReadable(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CliInputException($"{path}: permission denied: cannot open the file ({ex.Message})", ex);
        }
        catch (IOException ex)
        {
            throw new CliInputException($"{path}: cannot open the file: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// Writes an output file all at once: to a temporary file in the same directory, then renamed over the target, so a
/// failed write leaves neither a half-written file nor the temporary one behind.
/// </summary>
internal static class OutputFile
{
    /// <summary>Checks that the file can be written there: its directory exists and it is not a directory.</summary>
    /// <param name="path">The file.</param>
    /// <param name="option">The option that named it, for messages (<c>--output</c>, <c>--out</c>).</param>
    /// <exception cref="CliInputException">The message names the option and the file.</exception>
    public static void CheckWritable(string path, string option)
    {
        if (Directory.Exists(path))
        {
            throw new CliInputException($"{option}: {path} is a directory; give a file name.");
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliInputException($"{option}: the directory of {path} does not exist.");
        }
    }

    /// <summary>Writes the text (UTF-8, no BOM) to the file.</summary>
    /// <exception cref="CliInputException">The write failed; the message names the option and the file.</exception>
    public static void Write(string path, string option, string text) => Write(path, option, writer => writer.Write(text));

    /// <summary>Writes what <paramref name="write"/> writes (UTF-8, no BOM) to the file.</summary>
    /// <exception cref="CliInputException">The write failed; the message names the option and the file.</exception>
    public static void Write(string path, string option, Action<TextWriter> write)
    {
        CheckWritable(path, option);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                write(writer);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            string reason = ex is UnauthorizedAccessException ? "permission denied" : ex.Message;
            throw new CliInputException($"{option}: cannot write {path}: {reason}", ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the original error is what the user needs.
        }
    }
}
