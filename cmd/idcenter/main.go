package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "idcenter:", err)
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "idcenter",
		Short:         "A self-hosted AWS IAM Identity Center, IAM, STS and Organizations that speaks the AWS wire protocols",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServe(), newVersion(), newCLIConfig(), newAdmin())
	return root
}

func newServe() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run every service on one listener",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return app.Run(ctx, cfg, os.Stdout, os.Stderr)
		},
	}
	cfg.BindServe(cmd.Flags())
	return cmd
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "idcenter", app.Version())
		},
	}
}

func newCLIConfig() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var proxy bool
	cmd := &cobra.Command{
		Use:   "cli-config",
		Short: "Print the environment lines that point AWS tools at idcenter",
		Long: "Prints export lines for the credentials written by `idcenter serve`. With --proxy, the lines route\n" +
			"the AWS host names through a server started with `serve --proxy` and trust its CA, for tools\n" +
			"that ignore endpoint settings (aws-vault, aws-sso-cli, granted, older SDKs).",
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprint(cmd.OutOrStdout(), app.CLIConfig(cfg, proxy))
		},
	}
	cfg.BindData(cmd.Flags())
	cmd.Flags().StringVar(&cfg.Listen, "listen", cfg.Listen, "the server's listen address (env IDCENTER_LISTEN)")
	cmd.Flags().BoolVar(&proxy, "proxy", false, "print the HTTPS proxy lines instead of the endpoint line")
	return cmd
}
