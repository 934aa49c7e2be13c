package iam

import "strings"

// Root task policies: the AWS managed policies a privileged root session
// (sts:AssumeRoot) is limited to, one task each. The documents follow AWS's
// published root-task policies (each allows only its task's actions).
var rootTaskPolicies = map[string]string{
	"IAMAuditRootUserCredentials": `{"Version":"2012-10-17","Statement":[{"Sid":"AuditRootUserCredentials","Effect":"Allow",
"Action":["iam:GetAccessKeyLastUsed","iam:GetLoginProfile","iam:GetUser","iam:ListAccessKeys","iam:ListMFADevices","iam:ListSigningCertificates","iam:GetAccountSummary"],"Resource":"*"}]}`,
	"IAMCreateRootUserPassword": `{"Version":"2012-10-17","Statement":[{"Sid":"CreateRootUserPassword","Effect":"Allow",
"Action":["iam:CreateLoginProfile","iam:GetLoginProfile"],"Resource":"*"}]}`,
	"IAMDeleteRootUserCredentials": `{"Version":"2012-10-17","Statement":[{"Sid":"DeleteRootUserCredentials","Effect":"Allow",
"Action":["iam:DeleteAccessKey","iam:DeleteLoginProfile","iam:DeactivateMFADevice","iam:DeleteSigningCertificate","iam:DeleteVirtualMFADevice",
"iam:GetAccessKeyLastUsed","iam:GetLoginProfile","iam:GetUser","iam:ListAccessKeys","iam:ListMFADevices","iam:ListSigningCertificates"],"Resource":"*"}]}`,
	"S3UnlockBucketPolicy": `{"Version":"2012-10-17","Statement":[{"Sid":"UnlockBucketPolicy","Effect":"Allow",
"Action":["s3:DeleteBucketPolicy","s3:GetBucketPolicy","s3:ListAllMyBuckets"],"Resource":"*"}]}`,
	"SQSUnlockQueuePolicy": `{"Version":"2012-10-17","Statement":[{"Sid":"UnlockQueuePolicy","Effect":"Allow",
"Action":["sqs:GetQueueAttributes","sqs:ListQueues","sqs:SetQueueAttributes"],"Resource":"*"}]}`,
}

const rootTaskPrefix = "arn:aws:iam::aws:policy/root-task/"

// RootTaskPolicyDocument returns the document of a root task policy
// (arn:aws:iam::aws:policy/root-task/<name>); ok is false for any other ARN.
func RootTaskPolicyDocument(arn string) (string, bool) {
	name, ok := strings.CutPrefix(arn, rootTaskPrefix)
	if !ok {
		return "", false
	}
	doc, ok := rootTaskPolicies[name]
	return doc, ok
}
