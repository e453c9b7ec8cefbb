using ModelMonitoring.Cli;

return await Cli.RunAsync(args, Console.Out, Console.Error, CliEnvironment.FromConsole()).ConfigureAwait(false);
