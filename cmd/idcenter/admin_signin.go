package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// newSignInAdmin returns the admin commands about users' portal credentials.
func newSignInAdmin() []*cobra.Command {
	return append([]*cobra.Command{newSetPassword(), newResetMFA()}, newSettingsAdmin()...) // admin_settings.go
}

// openSignIn opens the data folder's store and the sign-in service of its
// Identity Center instance; the caller closes the store.
func openSignIn(ctx context.Context, cfg config.Config) (store.Store, *signin.Service, error) {
	st, ins, err := app.OpenAdmin(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return st, &signin.Service{Store: st, IdentityStoreID: ins.IdentityStoreID, InstanceARN: ins.ARN}, nil
}

func newSetPassword() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var userName, password string
	cmd := &cobra.Command{
		Use:   "set-password --user-name NAME [--password P]",
		Short: "Set an identity store user's portal password, or print a one-time password to change at first sign-in",
		Long: `Set the password a user signs in to the AWS access portal with (/start).

With --password the password is set as given; it must have 8 to 64 characters
with a lower-case and an upper-case letter, a number and a non-alphanumeric
character. Without it a random one-time password is printed once; the user
must choose a new password at the next sign-in. Either way the user's portal
sessions end and a lockout is cleared.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if userName == "" {
				return errors.New("--user-name is required")
			}
			st, svc, err := openSignIn(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			out := cmd.OutOrStdout()
			if cmd.Flags().Changed("password") {
				if err := svc.SetPassword(cmd.Context(), userName, password); err != nil {
					return err
				}
				fmt.Fprintf(out, "password of %s set\n", userName)
				return nil
			}
			pw, err := svc.SetOneTimePassword(cmd.Context(), userName)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "one-time password of %s (to change at the first sign-in): %s\n", userName, pw)
			return nil
		},
	}
	cfg.BindStore(cmd.Flags())
	cmd.Flags().StringVar(&userName, "user-name", "", "the identity store user's UserName")
	cmd.Flags().StringVar(&password, "password", "", "the password to set (default: print a one-time password)")
	return cmd
}

func newResetMFA() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var userName string
	cmd := &cobra.Command{
		Use:   "reset-mfa --user-name NAME",
		Short: "Remove a user's MFA devices; the user registers a new one at the next sign-in",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if userName == "" {
				return errors.New("--user-name is required")
			}
			st, svc, err := openSignIn(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := svc.ResetMFA(cmd.Context(), userName)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed %d MFA device(s) of %s\n", n, userName)
			return nil
		},
	}
	cfg.BindStore(cmd.Flags())
	cmd.Flags().StringVar(&userName, "user-name", "", "the identity store user's UserName")
	return cmd
}
