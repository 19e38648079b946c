; Inno Setup 6 script of the Yishi (议事) installer for village office PCs.
; Build the folder first (pyinstaller build.spec -> dist\yishi\), then:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\yishi.iss
; -> dist\yishi-setup-0.1.0.exe. See docs/windows.md.
;
; The program goes to %LOCALAPPDATA%\Programs\Yishi (no administrator needed)
; or, if the user chooses "install for all users", to Program Files. The room's
; data lives elsewhere (%LOCALAPPDATA%\yishi), so upgrading or uninstalling the
; program never touches it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef ChineseIsl
  ; ships with Inno Setup 6 (older versions: Languages\Unofficial\, or download
  ; it from https://jrsoftware.org/files/istrans/ into the Languages folder)
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#endif
#define SyncTaskName "Yishi End-of-day Sync"

[Setup]
; never change AppId: upgrades find the installed copy by it
AppId={{6E3C1B52-7A4D-4C1E-9B8F-2D5A0C7E9F31}
AppName=议事 Yishi
AppVersion={#AppVersion}
AppVerName=议事 Yishi {#AppVersion}
AppPublisher=Yishi
DefaultDirName={autopf}\Yishi
DefaultGroupName=议事
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=yishi-setup-{#AppVersion}
SetupIconFile=resources\icons\yishi.ico
UninstallDisplayIcon={app}\yishi.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; an upgrade closes a running yishi.exe first, so no file is in use
CloseApplications=force
RestartApplications=no

[Languages]
Name: "chs"; MessagesFile: "{#ChineseIsl}"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chs.SyncTask=每天下班时（17:30）自动与县级服务器同步
en.SyncTask=Sync with the county server every day at 17:30
chs.OtherTasks=其他：
en.OtherTasks=Other:
chs.RunYishi=启动议事
en.RunYishi=Start Yishi

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "synctask"; Description: "{cm:SyncTask}"; GroupDescription: "{cm:OtherTasks}"; Flags: unchecked

[Files]
; the whole one-folder bundle; files of an older version that are gone from
; the new bundle are removed by [InstallDelete] below
Source: "dist\yishi\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; the previous version's libraries, so old and new never mix
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\议事"; Filename: "{app}\yishi.exe"; WorkingDir: "{app}"
Name: "{group}\议事 演示议事室"; Filename: "{app}\yishi.exe"; Parameters: "--demo --data-dir ""{localappdata}\yishi-demo"""; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,议事}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\议事"; Filename: "{app}\yishi.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; end-of-day sync as the user who installed (the data is in that user's
; %LOCALAPPDATA%); runs only when that user is logged on, which is when the
; office PC is on anyway. /F replaces the task of an earlier install.
Filename: "{sys}\schtasks.exe"; \
  Parameters: "/Create /F /SC DAILY /ST 17:30 /TN ""{#SyncTaskName}"" /TR ""\""{app}\yishi-cli.exe\"" sync"""; \
  Flags: runhidden; Tasks: synctask
Filename: "{app}\yishi.exe"; Description: "{cm:RunYishi}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""{#SyncTaskName}"""; Flags: runhidden; RunOnceId: "DeleteSyncTask"
; the data in %LOCALAPPDATA%\yishi is deliberately left in place
