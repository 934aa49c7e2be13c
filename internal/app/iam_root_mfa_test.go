package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/app"
	coreiam "github.com/idcenter/idcenter/internal/core/iam"
)

// TestRootMFADeviceSDK: the account's root user assigns a virtual MFA device
// to itself (EnableMFADevice with its account id as UserName), lists it
// (ListMFADevices without UserName), and uses its codes
// with GetSessionToken and AssumeRole: those sessions carry
// aws:MultiFactorAuthPresent (a trust policy requiring MFA lets them in, a
// session without MFA is refused). GetAccountSummary's AccountMFAEnabled and
// the credential report's <root_account> mfa_active report it; an IAM user
// cannot use the root's device; the device cannot be deleted while assigned;
// deactivated, it no longer verifies.
func TestRootMFADeviceSDK(t *testing.T) {
	ctx := context.Background()
	clk := &clock{}
	ts := startServerOpts(t, app.Options{Now: clk.Now})
	acct := ts.World.Organization.ManagementAccountID
	rootCfg := ts.rootConfig(t)
	root, rootSTS := iam.NewFromConfig(rootCfg), sts.NewFromConfig(rootCfg)

	summaryMFA := func() int32 {
		t.Helper()
		s := mustDo[*iam.GetAccountSummaryOutput](t, "GetAccountSummary")(root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
		return s.SummaryMap["AccountMFAEnabled"]
	}
	rootDevices := func() []iamtypes.MFADevice {
		t.Helper()
		return mustDo[*iam.ListMFADevicesOutput](t, "ListMFADevices")(root.ListMFADevices(ctx, &iam.ListMFADevicesInput{})).MFADevices
	}
	if n := len(rootDevices()); n != 0 || summaryMFA() != 0 {
		t.Fatalf("before: %d root devices, AccountMFAEnabled %d", n, summaryMFA())
	}

	dev := mustDo[*iam.CreateVirtualMFADeviceOutput](t, "CreateVirtualMFADevice")(root.CreateVirtualMFADevice(ctx,
		&iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("root-account-mfa-device")}))
	serial, seed := aws.ToString(dev.VirtualMFADevice.SerialNumber), string(dev.VirtualMFADevice.Base32StringSeed)
	if serial != "arn:aws:iam::"+acct+":mfa/root-account-mfa-device" {
		t.Fatalf("serial = %s", serial)
	}
	code := func(at time.Duration) string {
		c, err := coreiam.MFACode(seed, time.Now().Add(at))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// The API model requires UserName (AWS enables root MFA in its console
	// only): the root user names its account id.
	mustDo[*iam.EnableMFADeviceOutput](t, "EnableMFADevice as root")(root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName: aws.String(acct), SerialNumber: aws.String(serial), AuthenticationCode1: aws.String(code(-30 * time.Second)), AuthenticationCode2: aws.String(code(0))}))

	// Listed for root, assigned to root, reported.
	if ds := rootDevices(); len(ds) != 1 || aws.ToString(ds[0].SerialNumber) != serial || ds[0].EnableDate == nil {
		t.Fatalf("root's ListMFADevices = %+v", ds)
	}
	assigned := mustDo[*iam.ListVirtualMFADevicesOutput](t, "ListVirtualMFADevices")(root.ListVirtualMFADevices(ctx,
		&iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAssigned}))
	if len(assigned.VirtualMFADevices) != 1 || assigned.VirtualMFADevices[0].User == nil ||
		aws.ToString(assigned.VirtualMFADevices[0].User.Arn) != "arn:aws:iam::"+acct+":root" {
		t.Fatalf("assigned virtual devices = %+v", assigned.VirtualMFADevices)
	}
	if got := summaryMFA(); got != 1 {
		t.Fatalf("AccountMFAEnabled = %d, want 1", got)
	}
	mustDo[*iam.GenerateCredentialReportOutput](t, "GenerateCredentialReport")(root.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
	rep := mustDo[*iam.GetCredentialReportOutput](t, "GetCredentialReport")(root.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	rows, err := csv.NewReader(bytes.NewReader(rep.Content)).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][7] != "mfa_active" || rows[1][0] != "<root_account>" || rows[1][7] != "true" {
		t.Fatalf("credential report root row: %v, %v", rows, err)
	}
	_, err = root.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	stsWantCode(t, err, "DeleteConflict")

	// A role that trusts the account only with MFA.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},
	  "Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	roleARN := createRole(t, ts, "RootBreakglass", trust, listUsersAndGroups, 0)
	assumeFrom := func(c *sts.Client, serial, code string) error {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("root")}
		if serial != "" {
			in.SerialNumber, in.TokenCode = aws.String(serial), aws.String(code)
		}
		_, err := c.AssumeRole(ctx, in)
		return err
	}

	// A session token without MFA: refused by the trust policy.
	plain := mustDo[*sts.GetSessionTokenOutput](t, "GetSessionToken")(rootSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{}))
	stsWantCode(t, assumeFrom(sts.NewFromConfig(sessionConfig(t, ts, plain.Credentials)), "", ""), "AccessDenied")

	// GetSessionToken with the root's device: a wrong code and the codes of
	// the enabling are refused, a fresh code gives an MFA session.
	clk.offset.Store(int64(60 * time.Second))
	_, err = rootSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String("000000")})
	stsWantCode(t, err, "AccessDenied")
	_, err = rootSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(0))})
	stsWantCode(t, err, "AccessDenied")
	st, err := rootSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(60 * time.Second))})
	if err != nil {
		t.Fatalf("root GetSessionToken with MFA: %v", err)
	}
	if err := assumeFrom(sts.NewFromConfig(sessionConfig(t, ts, st.Credentials)), "", ""); err != nil {
		t.Fatalf("AssumeRole from the root's MFA session: %v", err)
	}

	// AssumeRole with the root's device directly.
	stsWantCode(t, assumeFrom(rootSTS, "", ""), "AccessDenied")
	clk.offset.Store(int64(90 * time.Second))
	if err := assumeFrom(rootSTS, serial, code(90*time.Second)); err != nil {
		t.Fatalf("root AssumeRole with MFA: %v", err)
	}

	// An IAM user cannot use the root's device.
	opsCfg := machineUser(t, ts, "ops", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}))
	})
	clk.offset.Store(int64(120 * time.Second))
	_, err = sts.NewFromConfig(opsCfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(120 * time.Second))})
	stsWantCode(t, err, "AccessDenied")

	// Deactivated: no longer the root's, no longer verified.
	mustDo[*iam.DeactivateMFADeviceOutput](t, "DeactivateMFADevice as root")(root.DeactivateMFADevice(ctx,
		&iam.DeactivateMFADeviceInput{SerialNumber: aws.String(serial)}))
	if n := len(rootDevices()); n != 0 || summaryMFA() != 0 {
		t.Fatalf("after deactivation: %d root devices, AccountMFAEnabled %d", n, summaryMFA())
	}
	clk.offset.Store(int64(150 * time.Second))
	_, err = rootSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(150 * time.Second))})
	stsWantCode(t, err, "AccessDenied")
	mustDo[*iam.DeleteVirtualMFADeviceOutput](t, "DeleteVirtualMFADevice")(root.DeleteVirtualMFADevice(ctx,
		&iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}))
}
