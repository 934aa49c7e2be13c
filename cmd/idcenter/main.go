package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
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
	root.AddCommand(newServe(), newVersion(), newCLIConfig(), newAdmin(), newExport())
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
	var proxy, write bool
	var prof app.SSOProfile
	cmd := &cobra.Command{
		Use:   "cli-config",
		Short: "Print the environment lines (and write the SSO profile) that point AWS tools at idcenter",
		Long: "Without --profile: prints export lines for the credentials written by `idcenter serve`; with --proxy,\n" +
			"lines that route the AWS host names through `serve --proxy`, for tools that ignore endpoint settings.\n\n" +
			"With --profile, --account and --role: prints (or, with --write, merges into $AWS_CONFIG_FILE or ~/.aws/config)\n" +
			"the seed's SSO profile and [sso-session] block for this server, writes the endpoint overlay that lets AWS CLI\n" +
			"versions without endpoint settings reach idcenter, and prints the one export line it needs; with --proxy,\n" +
			"prints the HTTPS_PROXY and CA lines for a server started with `serve --proxy` instead of the overlay.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if err := config.ValidatePublicURL(cfg.PublicURL); err != nil {
				return err
			}
			if prof.Profile == "" {
				fmt.Fprint(out, app.CLIConfig(cfg, proxy))
				return nil
			}
			if prof.AccountID == "" || prof.RoleName == "" {
				return fmt.Errorf("cli-config: --profile needs --account and --role")
			}
			endpoint := cfg.BaseURL() // --public-url when set
			prof.StartURL = app.SSOStartURL(cfg)
			if prof.SSOSession == "" {
				prof.SSOSession = prof.Profile
			}
			if prof.Region == "" {
				prof.Region = cfg.Region
			}
			var models string
			if !proxy {
				var err error
				if models, err = filepath.Abs(filepath.Join(cfg.DataDir, "aws-models")); err != nil {
					return err
				}
				if err := app.WriteEndpointOverlay(models, endpoint); err != nil {
					return err
				}
			}
			if write {
				path := os.Getenv("AWS_CONFIG_FILE")
				if path == "" {
					home, err := os.UserHomeDir()
					if err != nil {
						return err
					}
					path = filepath.Join(home, ".aws", "config")
				}
				old, err := os.ReadFile(path)
				if err != nil && !os.IsNotExist(err) {
					return err
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					return err
				}
				if err := os.WriteFile(path, []byte(app.MergeINI(string(old), prof.Sections())), 0o600); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote [profile %s] and [sso-session %s] to %s\n", prof.Profile, prof.SSOSession, path)
			} else {
				fmt.Fprint(out, app.MergeINI("", prof.Sections()))
			}
			if proxy {
				// Through `serve --proxy` the CLI talks to AWS's own host names: no overlay.
				fmt.Fprint(out, app.ProxyLines(cfg))
				return nil
			}
			fmt.Fprintf(out, "export AWS_DATA_PATH=%s\n", models)
			return nil
		},
	}
	cfg.BindData(cmd.Flags())
	cmd.Flags().StringVar(&cfg.Listen, "listen", cfg.Listen, "the server's listen address (env IDCENTER_LISTEN)")
	cmd.Flags().BoolVar(&cfg.TLSAuto, "tls", cfg.TLSAuto, "the server serves HTTPS (env IDCENTER_TLS=true)")
	cfg.BindPublicURL(cmd.Flags())
	cmd.Flags().BoolVar(&proxy, "proxy", false, "print the HTTPS proxy lines instead of the endpoint line")
	cmd.Flags().StringVar(&prof.Profile, "profile", "", "name of the SSO profile to write")
	cmd.Flags().StringVar(&prof.AccountID, "account", "", "sso_account_id of the profile")
	cmd.Flags().StringVar(&prof.RoleName, "role", "", "sso_role_name of the profile (the permission set name)")
	cmd.Flags().StringVar(&prof.SSOSession, "sso-session", "", "name of the [sso-session] block (default: the profile name)")
	cmd.Flags().StringVar(&prof.Region, "region", "", "region of the profile and sso_region (default: the server's region)")
	cmd.Flags().BoolVar(&write, "write", false, "merge the profile into $AWS_CONFIG_FILE or ~/.aws/config instead of printing it")
	return cmd
}
